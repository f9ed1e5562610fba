import type { EntityManager } from '@mikro-orm/postgresql';
import type { GlobalPosition, RecordedEvent } from '@projectflo/platform/core';
import type { OrmTx } from './orm-unit-of-work';
import { quoteIdentifier } from '@projectflo/platform/core';

/**
 * A read model fed by events. `apply` must be idempotent per event id only through the inbox
 * (consumers) or because a rebuild starts from empty tables; it must not read other read models.
 */
export interface Projection {
  /** Stable name; the checkpoint row's key. */
  readonly name: string;
  /** Event types this projection reacts to; others are skipped without calling apply. */
  readonly handles: readonly string[];
  /** Tables (in the service schema) this projection owns and a rebuild truncates. */
  readonly tables: readonly string[];
  apply(em: EntityManager, event: RecordedEvent): Promise<void>;
}

export const PROJECTION_CHECKPOINTS_TABLE = 'projection_checkpoints';

/** For a service's migration: the checkpoint table, unqualified (search_path is the service schema). */
export function projectionCheckpointsSql(): string {
  return `CREATE TABLE IF NOT EXISTS ${PROJECTION_CHECKPOINTS_TABLE} (
    name text PRIMARY KEY,
    commit numeric(20, 0) NOT NULL,
    prepare numeric(20, 0) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`;
}

function checkpoints(schema: string): string {
  return `${quoteIdentifier(schema, 'schema')}.${PROJECTION_CHECKPOINTS_TABLE}`;
}

export async function loadCheckpoint(tx: OrmTx, schema: string, name: string): Promise<GlobalPosition | undefined> {
  const rows = await tx.query<{ commit: string; prepare: string }>(
    `SELECT commit::text AS commit, prepare::text AS prepare FROM ${checkpoints(schema)} WHERE name = $1`,
    [name],
  );
  const row = rows[0];
  return row ? { commit: row.commit, prepare: row.prepare } : undefined;
}

export async function saveCheckpoint(tx: OrmTx, schema: string, name: string, position: GlobalPosition | undefined): Promise<void> {
  if (position === undefined) {
    await tx.query(`DELETE FROM ${checkpoints(schema)} WHERE name = $1`, [name]);
    return;
  }
  await tx.query(
    `INSERT INTO ${checkpoints(schema)} (name, commit, prepare) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET commit = EXCLUDED.commit, prepare = EXCLUDED.prepare, updated_at = now()`,
    [name, position.commit, position.prepare],
  );
}

/**
 * Applies one event in the caller's transaction (e.g. a consumer handler after its inbox claim)
 * and returns whether the projection handles its type. Flushes, so a following raw query sees it.
 */
export async function projectEvent(tx: OrmTx, projection: Projection, event: RecordedEvent): Promise<boolean> {
  if (!projection.handles.includes(event.type)) return false;
  await projection.apply(tx.em, event);
  await tx.em.flush();
  return true;
}
