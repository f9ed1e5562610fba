import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from '@projectflo/platform/core';
import { PostgresEventStore } from '@projectflo/platform/event-store';
import { assertIdentifier, qualifiedTable } from '@projectflo/platform/core';
import { createOrm, type CreateOrmOptions, PROJECTION_CHECKPOINTS_TABLE } from '@projectflo/platform/persistence';
import type { Pool } from 'pg';
import { BUILD_READ_MODEL_ENTITIES, BUILD_READ_MODEL_TABLES, rebuildBuildReadModel } from '../../../apps/build-ledger/src/read-model/read-model.rebuild';
import { LEDGER_READ_MODEL_ENTITIES, LEDGER_READ_MODEL_TABLES, rebuildLedgerReadModel } from '../../../apps/build-ledger/src/ledger/ledger.rebuild';
import { CRM_READ_MODEL_ENTITIES, CRM_READ_MODEL_TABLES, rebuildCrmReadModel } from '../../../apps/crm/src/read-model/read-model.rebuild';
import { rebuildTaskEngineReadModel, TASK_ENGINE_READ_MODEL_TABLES } from '../../../apps/task-engine/src/read-model/read-model.rebuild';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../../../apps/task-engine/src/task-engine.service-options';

/** A read model that scripts/rebuild-read-model.ts can rebuild: its tables and its rebuild function. */
export interface RebuildableReadModel {
  readonly service: 'crm' | 'task-engine' | 'build-ledger';
  readonly tables: readonly string[];
  readonly entities: CreateOrmOptions['entities'];
  rebuild(deps: { orm: MikroORM; store: Pick<EventStore, 'readAll'> }): Promise<unknown>;
}

/** The read models compared with a rebuild after a campaign (build-ledger's: its catalog and builds, and its ledger). */
export const REBUILDABLE_READ_MODELS: readonly RebuildableReadModel[] = [
  { service: 'crm', tables: CRM_READ_MODEL_TABLES, entities: [...CRM_READ_MODEL_ENTITIES], rebuild: rebuildCrmReadModel },
  { service: 'task-engine', tables: TASK_ENGINE_READ_MODEL_TABLES, entities: [...TASK_ENGINE_SERVICE_OPTIONS.entities], rebuild: rebuildTaskEngineReadModel },
  { service: 'build-ledger', tables: BUILD_READ_MODEL_TABLES, entities: [...BUILD_READ_MODEL_ENTITIES], rebuild: rebuildBuildReadModel },
  { service: 'build-ledger', tables: LEDGER_READ_MODEL_TABLES, entities: [...LEDGER_READ_MODEL_ENTITIES], rebuild: rebuildLedgerReadModel },
];

export interface TableDifference {
  readonly table: string;
  readonly liveRows: number;
  readonly rebuiltRows: number;
  /** Up to five rows (as JSON) found only in the live table, and only in the rebuilt one. */
  readonly onlyLive: readonly string[];
  readonly onlyRebuilt: readonly string[];
}

export interface ReadModelComparison {
  readonly service: string;
  readonly schema: string;
  readonly tenants: number;
  readonly rows: number;
  readonly differences: readonly TableDifference[];
  /** Set when the rebuild itself failed (an event the projection cannot store, say). */
  readonly rebuildError?: string;
}

export const readModelMatches = (c: ReadModelComparison): boolean => c.rebuildError === undefined && c.differences.length === 0;

/**
 * Compares a live read model with a rebuild from its event store, without touching the live
 * tables: the rebuild runs into a scratch schema (`<schema>_rebuild`, tables created LIKE the live
 * ones) through the same rebuild function the rebuild command uses, reading the live schema's
 * events. Only rows of tenants that have events in this store are compared (a consumer on shared
 * topics also projects other instances' tenants). Waits first
 * until the live tables stop changing (the relay and consumers have caught up); a difference is
 * re-checked a few times, since late work (an expansion finishing) can still land.
 */
export async function compareWithRebuild(pool: Pool, url: string, schema: string, model: RebuildableReadModel): Promise<ReadModelComparison> {
  assertIdentifier(schema, 'schema');
  const scratch = assertIdentifier(`${schema}_rebuild`, 'schema');
  const { rows } = await pool.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${qualifiedTable(schema, 'events')}`);
  const tenants = rows.map((r) => r.tenant_id);
  let comparison: ReadModelComparison | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const live = await waitUntilQuiet(pool, schema, model.tables, tenants);
    const rebuilt = await rebuildInto(pool, url, schema, scratch, model, tenants);
    if ('error' in rebuilt) return { service: model.service, schema, tenants: tenants.length, rows: count(live), differences: [], rebuildError: rebuilt.error };
    const differences = model.tables.flatMap((table) => difference(table, live.get(table) ?? [], rebuilt.dump.get(table) ?? []));
    comparison = { service: model.service, schema, tenants: tenants.length, rows: count(live), differences };
    if (differences.length === 0) break;
  }
  if (readModelMatches(comparison!)) await pool.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`);
  return comparison!;
}

type Dump = Map<string, string[]>;

async function dump(pool: Pool, schema: string, tables: readonly string[], tenants: readonly string[]): Promise<Dump> {
  const out: Dump = new Map();
  for (const table of tables) {
    const { rows } = await pool.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${qualifiedTable(schema, table)} t WHERE t.tenant_id = ANY($1) ORDER BY 1`,
      [tenants],
    );
    out.set(table, rows.map((r) => r.row));
  }
  return out;
}

const count = (d: Dump) => [...d.values()].reduce((n, rows) => n + rows.length, 0);
const same = (a: Dump, b: Dump) => [...a].every(([table, rows]) => JSON.stringify(rows) === JSON.stringify(b.get(table)));

/** Dumps the live tables until three dumps two seconds apart agree (at most two minutes). */
async function waitUntilQuiet(pool: Pool, schema: string, tables: readonly string[], tenants: readonly string[]): Promise<Dump> {
  const deadline = Date.now() + 120_000;
  let previous = await dump(pool, schema, tables, tenants);
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const current = await dump(pool, schema, tables, tenants);
    quiet = same(previous, current) ? quiet + 1 : 0;
    previous = current;
  }
  return previous;
}

async function rebuildInto(
  pool: Pool,
  url: string,
  schema: string,
  scratch: string,
  model: RebuildableReadModel,
  tenants: readonly string[],
): Promise<{ dump: Dump } | { error: string }> {
  await pool.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`);
  await pool.query(`CREATE SCHEMA "${scratch}"`);
  for (const table of [...model.tables, PROJECTION_CHECKPOINTS_TABLE]) {
    await pool.query(`CREATE TABLE ${qualifiedTable(scratch, table)} (LIKE ${qualifiedTable(schema, table)} INCLUDING ALL)`);
  }
  const orm = await createOrm({ url, schema: scratch, entities: model.entities, applicationName: `fuzz-rebuild-${model.service}`, pool: { max: 2 } });
  try {
    await model.rebuild({ orm, store: new PostgresEventStore({ pool, schema }) });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await orm.close();
  }
  return { dump: await dump(pool, scratch, model.tables, tenants) };
}

function difference(table: string, live: readonly string[], rebuilt: readonly string[]): TableDifference[] {
  const rebuiltSet = new Set(rebuilt);
  const liveSet = new Set(live);
  const onlyLive = live.filter((row) => !rebuiltSet.has(row));
  const onlyRebuilt = rebuilt.filter((row) => !liveSet.has(row));
  if (onlyLive.length === 0 && onlyRebuilt.length === 0 && live.length === rebuilt.length) return [];
  const cut = (rows: readonly string[]) => rows.slice(0, 5).map((row) => (row.length > 600 ? `${row.slice(0, 600)}…` : row));
  return [{ table, liveRows: live.length, rebuiltRows: rebuilt.length, onlyLive: cut(onlyLive), onlyRebuilt: cut(onlyRebuilt) }];
}
