/**
 * Rebuilds a service's read model from its own (PostgreSQL) event store.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register \
 *     scripts/rebuild-read-model.ts <crm|task-engine|scheduling|build-ledger-builds|build-ledger-ledger> [--schema <schema>]
 *
 * MIGRATION_DATABASE_URL, the schema owner (a rebuild creates and drops a shadow schema); `--schema` defaults to the service's schema (`crm`,
 * `task_engine`); pass it for an isolated instance (DB_SCHEMA). It replays every event (`readAll`,
 * page by page, in commit order) through the apply functions the live read-model consumer uses
 * into shadow copies of the projection tables (schema `<schema>_rebuild`, one short transaction
 * per page), then swaps them in with one short transaction, and prints the events read and
 * applied, the rows per table and the last position (rebuildProjection). Exit 0 on success, 1 if
 * the rebuild failed (nothing changed), 2 for a usage error (unknown service, schema without that
 * read model, or an empty event store behind a filled read model unless --allow-empty-store).
 *
 * Running it while the service runs is safe; what happens to concurrent work:
 * - No transaction spans the replay, so relays on this cluster (which read below the oldest
 *   running transaction) keep publishing, and queries and the consumer keep using the live tables.
 * - The swap locks the live tables (ACCESS EXCLUSIVE), replays into the shadow what was appended
 *   meanwhile (including whatever the consumer projected live during the rebuild), replaces the
 *   live rows and saves the checkpoint. Readers wait on the lock for that moment: nobody sees the
 *   tables empty or half rebuilt, and a failure leaves the old rows. Commands keep appending.
 * - Events the consumer had not applied yet when the rebuild started (Kafka lag, or its
 *   transaction waiting on the lock) are in the store, so the rebuild applies them; when the
 *   consumer gets to them after the commit, its inbox claim is new, but every apply is guarded
 *   by the stream position kept on the row (crm: the `version` checks of each projection;
 *   task-engine: `version < $pos` updates and ON CONFLICT DO NOTHING inserts), so the second
 *   application changes nothing: nothing is doubled. Events it had applied before the rebuild
 *   are replayed once into the shadow tables; redeliveries of them hit the inbox and are skipped.
 * - A consumer transaction that fails meanwhile (lock wait, deadlock, a rebalance after a long
 *   wait) is a transient failure for EventConsumer: it rolls back with its inbox claim and the
 *   same message is retried, never dead-lettered.
 * - This command's connections use lock_timeout: if it cannot get the locks within that time (a
 *   long transaction holds them) it gives up and changes nothing, rather than queueing every
 *   reader behind it. If Postgres breaks a deadlock by aborting the rebuild, run it again.
 *
 * Only the consumer's tables are rebuilt; task-engine's `subjects`, `blocker_links`,
 * `finished_blockers` and `automation_triggers` come from other topics or consumers and stay.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventStore } from '@projectflo/platform/core';
import { createPgPool, PostgresEventStore } from '@projectflo/platform/event-store';
import { assertIdentifier } from '@projectflo/platform/core';
import { createOrm, type CreateOrmOptions, databaseUrlFromEnv, PROJECTION_CHECKPOINTS_TABLE, type ReadModelRebuildReport } from '@projectflo/platform/persistence';
import type { Pool } from 'pg';
import { CRM_READ_MODEL_ENTITIES, CRM_READ_MODEL_TABLES, rebuildCrmReadModel } from '../apps/crm/src/read-model/read-model.rebuild';
import { rebuildTaskEngineReadModel, TASK_ENGINE_READ_MODEL_TABLES } from '../apps/task-engine/src/read-model/read-model.rebuild';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../apps/task-engine/src/task-engine.service-options';
import { rebuildSchedulingReadModel, SCHEDULING_READ_MODEL_ENTITIES, SCHEDULING_READ_MODEL_TABLES } from '../apps/scheduling/src/read-model/read-model.rebuild';
import { SCHEDULING_SERVICE_OPTIONS } from '../apps/scheduling/src/scheduling.service-options';
import { BUILD_LEDGER_SERVICE_OPTIONS } from '../apps/build-ledger/src/build-ledger.service-options';
import { BUILD_READ_MODEL_ENTITIES, BUILD_READ_MODEL_TABLES, rebuildBuildReadModel } from '../apps/build-ledger/src/read-model/read-model.rebuild';
import { LEDGER_READ_MODEL_ENTITIES, LEDGER_READ_MODEL_TABLES, rebuildLedgerReadModel } from '../apps/build-ledger/src/ledger/ledger.rebuild';
import { runCli, UsageError } from './cli';

interface RebuildableService {
  readonly defaultSchema: string;
  readonly entities: CreateOrmOptions['entities'];
  readonly tables: readonly string[];
  rebuild(deps: { orm: MikroORM; store: Pick<EventStore, 'readAll'> }): Promise<ReadModelRebuildReport>;
}

const REBUILDABLE: Readonly<Record<string, RebuildableService>> = {
  crm: { defaultSchema: 'crm', entities: [...CRM_READ_MODEL_ENTITIES], tables: CRM_READ_MODEL_TABLES, rebuild: rebuildCrmReadModel },
  'task-engine': {
    defaultSchema: TASK_ENGINE_SERVICE_OPTIONS.schema,
    entities: [...TASK_ENGINE_SERVICE_OPTIONS.entities],
    tables: TASK_ENGINE_READ_MODEL_TABLES,
    rebuild: rebuildTaskEngineReadModel,
  },
  scheduling: {
    defaultSchema: SCHEDULING_SERVICE_OPTIONS.schema,
    entities: [...SCHEDULING_READ_MODEL_ENTITIES],
    tables: SCHEDULING_READ_MODEL_TABLES,
    rebuild: rebuildSchedulingReadModel,
  },
  // build-ledger has two read models, each with its own consumer group and checkpoint.
  'build-ledger-builds': {
    defaultSchema: BUILD_LEDGER_SERVICE_OPTIONS.schema,
    entities: [...BUILD_READ_MODEL_ENTITIES],
    tables: BUILD_READ_MODEL_TABLES,
    rebuild: rebuildBuildReadModel,
  },
  'build-ledger-ledger': {
    defaultSchema: BUILD_LEDGER_SERVICE_OPTIONS.schema,
    entities: [...LEDGER_READ_MODEL_ENTITIES],
    tables: LEDGER_READ_MODEL_TABLES,
    rebuild: rebuildLedgerReadModel,
  },
};
const WITHOUT_PROJECTIONS = ['notifications'];
const USAGE = 'usage: rebuild-read-model.ts <crm|task-engine|scheduling|build-ledger-builds|build-ledger-ledger> [--schema <schema>] [--allow-empty-store]';
/** Long enough to outwait a consumer transaction or a query, short enough not to stall readers queued behind TRUNCATE. */
const LOCK_TIMEOUT = '10s';


function parseArgs(argv: readonly string[]): { service: string; schema: string | undefined; allowEmptyStore: boolean } {
  let service: string | undefined;
  let schema: string | undefined;
  let allowEmptyStore = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--schema') {
      schema = argv[++i];
      if (!schema) throw new UsageError(`--schema needs a value\n${USAGE}`);
    } else if (arg.startsWith('--schema=')) {
      schema = arg.slice('--schema='.length);
    } else if (arg === '--allow-empty-store') {
      allowEmptyStore = true;
    } else if (arg === '--help' || arg === '-h') {
      throw new UsageError(USAGE);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    } else if (service === undefined) {
      service = arg;
    } else {
      throw new UsageError(`unexpected argument ${arg}\n${USAGE}`);
    }
  }
  if (!service) throw new UsageError(USAGE);
  return { service, schema, allowEmptyStore };
}

/** The tables a rebuild needs that `schema` lacks (all of them when the schema does not exist). */
async function missingTables(pool: Pool, schema: string, tables: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2)',
    [schema, tables],
  );
  const present = new Set(rows.map((r) => r.table_name));
  return tables.filter((t) => !present.has(t));
}

/** An empty store behind a filled read model means a wrong target far more often than a wanted wipe. */
async function isEmptyStoreWithRows(pool: Pool, schema: string, tables: readonly string[]): Promise<boolean> {
  const q = (table: string) => `"${schema}"."${table}"`;
  const { rows } = await pool.query<{ events: boolean; rows: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${q('events')}) AS events, (${tables.map((t) => `EXISTS (SELECT 1 FROM ${q(t)})`).join(' OR ')}) AS rows`,
  );
  return !rows[0]!.events && rows[0]!.rows;
}

function print(service: string, schema: string, report: ReadModelRebuildReport): void {
  const lines = [
    `rebuilt the ${service} read model in schema ${schema} from its event store (replayed into shadow tables, swapped in one transaction)`,
    `events read: ${report.eventsRead}`,
    `events applied: ${report.eventsApplied}`,
    `events skipped (refused by the read model, as its consumer dead-letters them): ${report.eventsSkipped}`,
  ];
  lines.push(
    report.lastPosition
      ? `last position: commit=${report.lastPosition.commit} prepare=${report.lastPosition.prepare}`
      : 'last position: none (the event store is empty)',
  );
  for (const [table, count] of Object.entries(report.rows)) lines.push(`rows ${table}: ${count}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<number> {
  const { service, schema: schemaArg, allowEmptyStore } = parseArgs(process.argv.slice(2));
  if (WITHOUT_PROJECTIONS.includes(service)) {
    process.stdout.write(`${service} has no projections yet: nothing to rebuild\n`);
    return 0;
  }
  const target = REBUILDABLE[service];
  if (!target) {
    throw new UsageError(`unknown service ${JSON.stringify(service)}: rebuildable are ${Object.keys(REBUILDABLE).join(', ')}; without projections: ${WITHOUT_PROJECTIONS.join(', ')}`);
  }
  if (process.env['EVENTSTORE_URL']) {
    throw new UsageError('EVENTSTORE_URL is set: this command replays the PostgreSQL event store, which is not where that deployment records its events');
  }
  const schema = schemaArg ?? target.defaultSchema;
  try {
    assertIdentifier(schema, 'schema');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const url = databaseUrlFromEnv();
  const pool = createPgPool(url, { application_name: `rebuild-read-model-${service}`, max: 2 });
  let orm: MikroORM | undefined;
  try {
    const missing = await missingTables(pool, schema, ['events', PROJECTION_CHECKPOINTS_TABLE, ...target.tables]);
    if (missing.length > 0) {
      throw new UsageError(
        `schema ${schema} holds no ${service} event store and read model (missing: ${missing.join(', ')}); ` +
          'check --schema, and that the service has started there once (it migrates at start)',
      );
    }
    if (!allowEmptyStore && (await isEmptyStoreWithRows(pool, schema, target.tables))) {
      throw new UsageError(
        `the event store in schema ${schema} is empty but its read model has rows: a rebuild would delete them all. ` +
          'Is this the right schema, and does the service record its events here (not in EventStoreDB)? ' +
          'Pass --allow-empty-store to empty the read model anyway',
      );
    }
    orm = await createOrm({
      url,
      schema,
      entities: target.entities,
      applicationName: `rebuild-read-model-${service}`,
      overrides: {
        // Same search_path as createOrm, plus the lock timeout explained above.
        driverOptions: {
          searchPath: [schema, 'public'],
          connection: { application_name: `rebuild-read-model-${service}`, options: `-c lock_timeout=${LOCK_TIMEOUT}` },
        },
      },
    });
    const store = new PostgresEventStore({ pool, schema });
    print(service, schema, await target.rebuild({ orm, store }));
    return 0;
  } finally {
    await orm?.close();
    await pool.end();
  }
}

runCli(main, (error) => `rebuild failed, the read model is unchanged: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
