import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decryptAesGcm, encryptAesGcm, keyOf } from '@projectflo/platform/secrets';
import { PAYLOAD_KEY, type PayloadKeyring } from './payload-keys';

/** The `encoding` metadata of an encrypted payload (Temporal's convention for encryption codecs). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key a payload was encrypted with. */
export const ENCRYPTION_KEY_ID = 'encryption-key-id';

/** A payload whose metadata says it was encrypted by this codec. */
export function isEncryptedPayload(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}

/**
 * Encrypts each whole payload (its metadata and data, serialized as the Payload protobuf) with
 * AES-256-GCM under the keyring's current key, a fresh 96-bit IV each time, and the key id as
 * additional authenticated data, so a payload cannot be relabelled to another key. The stored
 * payload is `iv | ciphertext | tag` with the key id in the clear metadata.
 *
 * Decoding accepts every key of the keyring (old payloads stay readable while keys rotate) and
 * passes payloads that were never encrypted through unchanged: histories recorded before the
 * codec, and replay fixtures.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const kid = this.keyring.currentKeyId;
    const key = keyOf(this.keyring, kid, PAYLOAD_KEY);
    const aad = Buffer.from(kid, 'utf8');
    return payloads.map((payload) => ({
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [ENCRYPTION_KEY_ID]: Buffer.from(kid) },
      data: encryptAesGcm(key, temporal.api.common.v1.Payload.encode(payload).finish(), aad),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncryptedPayload(payload)) return payload;
      const kidBytes = payload.metadata?.[ENCRYPTION_KEY_ID];
      if (kidBytes === undefined || kidBytes === null) throw new Error('an encrypted payload names no key id');
      const kid = Buffer.from(kidBytes).toString('utf8');
      const plain = decryptAesGcm(keyOf(this.keyring, kid, PAYLOAD_KEY), payload.data ?? new Uint8Array(), Buffer.from(kid, 'utf8'));
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
