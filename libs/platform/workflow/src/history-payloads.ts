import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { isEncryptedPayload } from './payload-codec';

type History = temporal.api.history.v1.IHistory;

/** Every payload in a message tree (a history, a describe response): the objects with metadata and binary data. */
export function payloadsIn(message: unknown, found: Payload[] = []): Payload[] {
  if (message === null || typeof message !== 'object' || ArrayBuffer.isView(message)) return found;
  const record = message as Record<string, unknown>;
  if (record['metadata'] !== undefined && ArrayBuffer.isView(record['data'])) found.push(record as Payload);
  for (const child of Object.values(record)) payloadsIn(child, found);
  return found;
}

/**
 * A copy of a history with every encrypted payload decrypted: what a replay fixture records, so
 * it replays on any machine (the replay worker decodes the unencrypted payloads unchanged).
 */
export async function decryptHistory(history: History, codec: PayloadCodec): Promise<History> {
  const History = temporal.api.history.v1.History;
  const copy = History.decode(History.encode(history).finish());
  const encrypted = payloadsIn(copy).filter(isEncryptedPayload);
  const decrypted = await codec.decode(encrypted);
  encrypted.forEach((payload, i) => {
    const plain = decrypted[i]!;
    payload.metadata = plain.metadata ?? {};
    payload.data = plain.data ?? new Uint8Array();
  });
  return copy;
}
