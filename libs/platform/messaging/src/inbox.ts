import { quoteIdentifier } from '@projectflo/platform/core';
import type { Tx } from './unit-of-work';

/** The columns of an InboxEntry, in both tables. */
const ENTRY_COLUMNS = `consumer_group text NOT NULL,
       event_id text NOT NULL,
       event_type text NOT NULL,
       topic text NOT NULL,
       kafka_partition integer NOT NULL,
       kafka_offset bigint NOT NULL`;

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
       ${ENTRY_COLUMNS},
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer_group, event_id)
     )`,
    // The events a group dead-lettered (DeadLetteredEntry): a consistency token waiting for one
    // answers at once instead of at its bound. A redriven event that then succeeds gets its inbox
    // row, which is what a wait looks at first.
    `CREATE TABLE IF NOT EXISTS ${s}.inbox_dead_letters (
       ${ENTRY_COLUMNS},
       reason text NOT NULL,
       dead_lettered_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer_group, event_id)
     )`,
  ];
}

const INBOX_TABLES = ['inbox', 'inbox_dead_letters'] as const;

/**
 * Idempotent DDL; the advisory lock stops two processes racing on CREATE ... IF NOT EXISTS. A
 * service's owner creates the inbox before the service starts (its login role may not CREATE, not
 * even IF NOT EXISTS): then this only finds it.
 */
export async function ensureInbox(tx: Tx, schema: string): Promise<void> {
  if ((await Promise.all(INBOX_TABLES.map((table) => tableExists(tx, schema, table)))).every(Boolean)) return;
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

/** An event the group dead-lettered, with the dead letter's reason. */
export interface DeadLetteredEntry extends InboxEntry {
  readonly reason: string;
}

/** Records that the group dead-lettered the event; a redriven event dead-lettered again keeps its latest reason and position. */
export async function recordDeadLetteredEntry(tx: Tx, schema: string, entry: DeadLetteredEntry): Promise<void> {
  await tx.query(
    `INSERT INTO ${quoteIdentifier(schema, 'schema')}.inbox_dead_letters (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (consumer_group, event_id) DO UPDATE
       SET topic = EXCLUDED.topic, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset,
           reason = EXCLUDED.reason, dead_lettered_at = now()`,
    [entry.consumerGroup, entry.eventId, entry.eventType, entry.topic, entry.partition, entry.offset, entry.reason],
  );
}

/** A claim the inbox does not hold; `deadLettered` is the reason when the group dead-lettered the event instead. */
export interface UnclaimedEntry extends InboxClaim {
  readonly deadLettered?: string;
}

/** The claims of `wanted` the inbox does not hold yet, each with its dead letter's reason if it has one (the consistency wait asks; any Tx-shaped connection). */
export async function unclaimedInboxEntries(tx: Tx, schema: string, wanted: readonly InboxClaim[]): Promise<UnclaimedEntry[]> {
  const s = quoteIdentifier(schema, 'schema');
  const rows = await tx.query<{ consumer_group: string; event_id: string; reason: string | null }>(
    `SELECT w.consumer_group, w.event_id, d.reason
       FROM unnest($1::text[], $2::text[]) AS w(consumer_group, event_id)
       LEFT JOIN ${s}.inbox i ON i.consumer_group = w.consumer_group AND i.event_id = w.event_id
       LEFT JOIN ${s}.inbox_dead_letters d ON d.consumer_group = w.consumer_group AND d.event_id = w.event_id
      WHERE i.event_id IS NULL`,
    [wanted.map((w) => w.consumerGroup), wanted.map((w) => w.eventId)],
  );
  return rows.map((r) => ({ consumerGroup: r.consumer_group, eventId: r.event_id, ...(r.reason !== null ? { deadLettered: r.reason } : {}) }));
}
