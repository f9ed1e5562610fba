/**
 * Migrates a service's schema as its owner: the event store's DDL, the read-model migrations, the
 * inbox and relay checkpoints, then the grants and FORCE ROW LEVEL SECURITY (migrateServiceSchema),
 * what a service otherwise does at start. Production runs it as a job before the services start and
 * gives the services no MIGRATION_DATABASE_URL, so they never hold the owner's password.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register scripts/migrate.ts <service>
 *
 * MIGRATION_DATABASE_URL is the owner (required in production); DATABASE_URL the service's login role,
 * which the grants name (development: pf_<service>); DB_SCHEMA overrides the service's schema.
 * Exit 0 when migrated, 1 when it failed, 2 for a usage error.
 */
import { baseConfigSchema, loadConfig, ownerDatabaseUrl } from '@projectflo/platform/config';
import { type EventSourcedServiceOptions, migrateServiceSchema, serviceDatabaseUrl } from '@projectflo/platform/service';
import { BUILD_LEDGER_SERVICE_OPTIONS } from '../apps/build-ledger/src/build-ledger.service-options';
import { CRM_SERVICE_OPTIONS } from '../apps/crm/src/crm.service-options';
import { NOTIFICATIONS_SERVICE_OPTIONS } from '../apps/notifications/src/notifications.service-options';
import { SCHEDULING_SERVICE_OPTIONS } from '../apps/scheduling/src/scheduling.service-options';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../apps/task-engine/src/task-engine.service-options';
import { runCli, UsageError } from './cli';

const SERVICES: Readonly<Record<string, EventSourcedServiceOptions>> = Object.fromEntries(
  [CRM_SERVICE_OPTIONS, TASK_ENGINE_SERVICE_OPTIONS, BUILD_LEDGER_SERVICE_OPTIONS, SCHEDULING_SERVICE_OPTIONS, NOTIFICATIONS_SERVICE_OPTIONS].map((o) => [o.service, o]),
);

/** The database variables of the base configuration, as the services read them. */
const migrationConfigSchema = baseConfigSchema.pick({
  DATABASE_URL: true,
  MIGRATION_DATABASE_URL: true,
  PROJECTFLO_ENV: true,
  NODE_ENV: true,
  DB_SCHEMA: true,
  EVENTSTORE_URL: true,
  PG_STATEMENT_TIMEOUT_MS: true,
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: true,
  PG_LOCK_TIMEOUT_MS: true,
});

async function main(argv: readonly string[]): Promise<number> {
  const options = argv.length === 1 ? SERVICES[argv[0]] : undefined;
  if (!options) throw new UsageError(`usage: scripts/migrate.ts <${Object.keys(SERVICES).join('|')}>`);
  const config = loadConfig(migrationConfigSchema);
  const ownerUrl = ownerDatabaseUrl(config);
  if (ownerUrl === undefined) throw new UsageError('MIGRATION_DATABASE_URL is required: the schema owner runs the migrations');
  const schema = config.DB_SCHEMA ?? options.schema;
  await migrateServiceSchema({
    service: options.service,
    schema,
    ownerUrl,
    serviceUrl: serviceDatabaseUrl(config, options.service),
    postgresEventStore: config.EVENTSTORE_URL === undefined,
    timeouts: { statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, lockTimeoutMs: config.PG_LOCK_TIMEOUT_MS },
    ...(options.migrationsPath ? { migrationsPath: options.migrationsPath } : {}),
  });
  process.stdout.write(`migrated ${options.service} in schema ${schema}\n`);
  return 0;
}

runCli(() => main(process.argv.slice(2)), (error) => `migration failed: ${error instanceof Error ? error.message : String(error)}`);
