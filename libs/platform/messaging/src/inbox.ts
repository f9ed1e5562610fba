import { quoteIdentifier } from '@projectflo/platform/core';
import type { Tx } from './unit-of-work';

/**
 * The consumer inbox: one row per (consumer group, event id) that the group has processed.
 * It is written in the handler's own transaction, so a redelivered or replayed event finds its
 * row and is skipped — this is what makes at-least-once delivery have exactly-once effects.
 */
export function inboxDdl(schema: string): string[] {
  const s = quoteIdentifier(schema, 'schema');
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.inbox (
       consumer_group text NOT NULL,
       event_id text NOT NULL,
       event_type text NOT NULL,
       topic text NOT NULL,
       kafka_partition integer NOT NULL,
       kafka_offset bigint NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer_group, event_id)
     )`,
  ];
}

/**
 * Idempotent DDL; the advisory lock stops two processes racing on CREATE ... IF NOT EXISTS. A
 * service's owner creates the inbox before the service starts (its login role may not CREATE, not
 * even IF NOT EXISTS): then this only finds it.
 */
export async function ensureInbox(tx: Tx, schema: string): Promise<void> {
  if (await tableExists(tx, schema, 'inbox')) return;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projectflo.inbox.${schema}`]);
  for (const statement of inboxDdl(schema)) await tx.query(statement);
}

/** Whether `schema.table` exists (to_regclass: no error, no lock). */
export async function tableExists(tx: Tx, schema: string, table: string): Promise<boolean> {
  const [row] = await tx.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`,
  ]);
  return row?.found === true;
}

export interface InboxEntry {
  readonly consumerGroup: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Records the event as processed by the group; false when it already was (a duplicate). */
export async function claimInboxEntry(tx: Tx, schema: string, entry: InboxEntry): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO ${quoteIdentifier(schema, 'schema')}.inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (consumer_group, event_id) DO NOTHING
     RETURNING 1 AS claimed`,
    [entry.consumerGroup, entry.eventId, entry.eventType, entry.topic, entry.partition, entry.offset],
  );
  return rows.length === 1;
}

/** One group's claim of one event (InboxEntry's key). */
export interface InboxClaim {
  readonly consumerGroup: string;
  readonly eventId: string;
}

/** The claims of `wanted` the inbox does not hold yet (the consistency wait asks; any Tx-shaped connection). */
export async function unclaimedInboxEntries(tx: Tx, schema: string, wanted: readonly InboxClaim[]): Promise<InboxClaim[]> {
  const rows = await tx.query<{ consumer_group: string; event_id: string }>(
    `SELECT i.consumer_group, i.event_id FROM ${quoteIdentifier(schema, 'schema')}.inbox i
       JOIN unnest($1::text[], $2::text[]) AS w(consumer_group, event_id) USING (consumer_group, event_id)`,
    [wanted.map((w) => w.consumerGroup), wanted.map((w) => w.eventId)],
  );
  const claimed = new Set(rows.map((r) => `${r.consumer_group}\u0000${r.event_id}`));
  return wanted.filter((w) => !claimed.has(`${w.consumerGroup}\u0000${w.eventId}`));
}
