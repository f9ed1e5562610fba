import type { Pool } from 'pg';
import type { GlobalPosition } from '@projectflo/platform/core';
import { quoteIdentifier } from '@projectflo/platform/core';
import { inPgTransaction } from '@projectflo/platform/event-store';

/** Where a relay remembers the last global position whose events the broker acknowledged. */
export interface RelayCheckpointStore {
  ensureSchema(): Promise<void>;
  load(relayName: string): Promise<GlobalPosition | undefined>;
  /** Never moves a checkpoint backwards. */
  save(relayName: string, position: GlobalPosition): Promise<void>;
}

/** `<schema>.relay_checkpoints` in the service's own Postgres database. */
export class PgRelayCheckpointStore implements RelayCheckpointStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${quoteIdentifier(schema, 'schema')}.relay_checkpoints`;
  }

  /** Creates the table (the owner does, before the service starts); only finds it when it exists. */
  async ensureSchema(): Promise<void> {
    const found = await this.pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [this.table]);
    if (found.rows[0]?.found) return;
    await inPgTransaction(this.pool, async (client) => {
      // Serialises concurrent CREATE ... IF NOT EXISTS, which can otherwise fail on a catalog race.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projectflo.relay_checkpoints.${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema, 'schema')}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        relay_name text PRIMARY KEY,
        commit numeric(20, 0) NOT NULL,
        prepare numeric(20, 0) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    });
  }

  async load(relayName: string): Promise<GlobalPosition | undefined> {
    const { rows } = await this.pool.query<{ commit: string; prepare: string }>(
      `SELECT commit::text AS commit, prepare::text AS prepare FROM ${this.table} WHERE relay_name = $1`,
      [relayName],
    );
    return rows[0] ? { commit: rows[0].commit, prepare: rows[0].prepare } : undefined;
  }

  async save(relayName: string, position: GlobalPosition): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} AS c (relay_name, commit, prepare, updated_at)
       VALUES ($1, $2::numeric, $3::numeric, now())
       ON CONFLICT (relay_name) DO UPDATE
         SET commit = EXCLUDED.commit, prepare = EXCLUDED.prepare, updated_at = now()
         WHERE (c.commit, c.prepare) < (EXCLUDED.commit, EXCLUDED.prepare)`,
      [relayName, position.commit, position.prepare],
    );
  }
}
