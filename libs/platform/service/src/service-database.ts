import { type BaseConfig, DEVELOPMENT_OWNER_URL, ownerDatabaseUrl } from '@projectflo/platform/config';
import { PostgresEventStore, type PostgresTimeouts, createPgPool } from '@projectflo/platform/event-store';
import { PgRelayCheckpointStore, PgUnitOfWork, ensureInbox } from '@projectflo/platform/messaging';
import type { Logger } from '@projectflo/platform/logging';
import { createOrm, developmentServiceDatabaseUrl, loginRoleOf, migrateUp, migrationsApplied, secureServiceSchema } from '@projectflo/platform/persistence';
import { retryStartupStep } from './startup-retry';

type DatabaseConfig = Pick<BaseConfig, 'DATABASE_URL' | 'MIGRATION_DATABASE_URL' | 'PROJECTFLO_ENV' | 'NODE_ENV'>;

/**
 * The service's own connection (docs/SECURITY.md): DATABASE_URL, or in development the service's
 * development login role (pf_<service>, scripts/infra.sh) on the owner's server. (Production
 * configuration requires DATABASE_URL.)
 */
export function serviceDatabaseUrl(config: DatabaseConfig, service: string): string {
  return config.DATABASE_URL ?? developmentServiceDatabaseUrl(service, ownerDatabaseUrl(config) ?? DEVELOPMENT_OWNER_URL);
}

export interface MigrateServiceSchemaOptions {
  readonly service: string;
  readonly schema: string;
  /** The schema owner's URL (MIGRATION_DATABASE_URL): the only connection that runs DDL. */
  readonly ownerUrl: string;
  /** The service's own URL: its login role is what the grants name. */
  readonly serviceUrl: string;
  readonly migrationsPath?: string;
  /** Whether the events live in Postgres (not EventStoreDB): the store's DDL runs too. */
  readonly postgresEventStore: boolean;
  readonly timeouts?: Partial<PostgresTimeouts>;
}

/**
 * Everything that changes the service's schema, on the owner's connection, before the service
 * opens its own: the event store's DDL, the read-model migrations (the migrator only when one is
 * pending: migrationsApplied), the consumer inbox and the
 * relay checkpoints, then the security step (`secureServiceSchema`: the login role's grants and
 * FORCE ROW LEVEL SECURITY on every tenant table). Idempotent; concurrent starts serialise on
 * advisory locks.
 */
export async function migrateServiceSchema(options: MigrateServiceSchemaOptions): Promise<void> {
  const { schema, ownerUrl, timeouts } = options;
  const pool = createPgPool(ownerUrl, { max: 2, application_name: migrationsApplicationName(options), ...(timeouts ? { timeouts } : {}), onIdleClientError: () => undefined });
  try {
    if (options.postgresEventStore) await new PostgresEventStore({ pool, schema }).ensureSchema();
    if (options.migrationsPath === undefined || !(await migrationsApplied(pool, schema, options.migrationsPath))) await runMigrations(options);
    await new PgUnitOfWork(pool).transactional((tx) => ensureInbox(tx, schema));
    await new PgRelayCheckpointStore(pool, schema).ensureSchema();
    await secureServiceSchema(pool, schema, loginRoleOf(options.serviceUrl));
  } finally {
    await pool.end();
  }
}

const migrationsApplicationName = (options: MigrateServiceSchemaOptions): string => `${options.service}-migrations`;

/** The read-model migrations through MikroORM's migrator, on the owner's connection. */
async function runMigrations(options: MigrateServiceSchemaOptions): Promise<void> {
  const { schema, ownerUrl, timeouts } = options;
  const orm = await createOrm({
    url: ownerUrl,
    schema,
    entities: [],
    applicationName: migrationsApplicationName(options),
    pool: { max: 1 },
    migrator: true,
    ...(options.migrationsPath ? { migrationsPath: options.migrationsPath } : {}),
    ...(timeouts ? { timeouts } : {}),
  });
  try {
    await migrateUp(orm);
  } finally {
    await orm.close();
  }
}

/**
 * A service's start: the owner migrates (migrateServiceSchema, waiting for Postgres like every
 * start-up step) when the service has the owner's URL; in production without MIGRATION_DATABASE_URL
 * a migration job did beforehand (scripts/migrate.ts), and the service never holds the owner's password.
 */
export async function migrateAtStart(
  config: DatabaseConfig,
  options: Omit<MigrateServiceSchemaOptions, 'ownerUrl' | 'serviceUrl'>,
  logger: Logger,
): Promise<void> {
  const ownerUrl = ownerDatabaseUrl(config);
  if (ownerUrl === undefined) {
    logger.info('no MIGRATION_DATABASE_URL: the schema was migrated beforehand (scripts/migrate.ts)', { schema: options.schema });
    return;
  }
  const serviceUrl = serviceDatabaseUrl(config, options.service);
  await retryStartupStep('Postgres (migrations, as the schema owner)', () => migrateServiceSchema({ ...options, ownerUrl, serviceUrl }), logger);
}
