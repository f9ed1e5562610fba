import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { DEFAULT_DATABASE_URL, type PostgresTimeouts, postgresTimeoutParameters } from '@projectflo/platform/event-store';
import { assertIdentifier } from '@projectflo/platform/core';

export interface CreateOrmOptions {
  /** postgres://user:password@host:port/db (DATABASE_URL). */
  readonly url: string;
  /** The service's own schema: default schema for entities, migrations table and search_path. */
  readonly schema: string;
  /** EntitySchema definitions (no decorators). */
  readonly entities: NonNullable<Options['entities']>;
  /** Folder of the service's committed migration files (`Migration<timestamp>_<name>.ts`). */
  readonly migrationsPath?: string;
  /**
   * Load MikroORM's Migrator (migrateUp, pendingMigrations). Only the schema owner's migration
   * step needs it; a service's own ORM does not, and so never loads the migrations package
   * (umzug and its CLI: ~3 MB of heap a running service would keep for nothing).
   */
  readonly migrator?: boolean;
  /** Shows up in pg_stat_activity; lets operators (and tests) tell the service's connections apart. */
  readonly applicationName?: string;
  readonly pool?: { readonly min?: number; readonly max?: number };
  /** Statement and idle-in-transaction timeouts of every connection; DEFAULT_POSTGRES_TIMEOUTS. */
  readonly timeouts?: Partial<PostgresTimeouts>;
  /** Passed through last, for anything else MikroORM accepts. */
  readonly overrides?: Partial<Options>;
}

export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/**
 * The schema owner's URL (MIGRATION_DATABASE_URL, the development owner when unset): what
 * migrations, read-model rebuilds (DDL on a shadow schema) and tests that inspect a schema use.
 * A service's own queries never do (database-roles.ts).
 */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env['MIGRATION_DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
}

/**
 * The schema owner's ORM on a schema (databaseUrlFromEnv). A read-model rebuild needs it: it
 * creates a shadow schema, which a service's own role may not (scripts/rebuild-read-model.ts and
 * the rebuild tests).
 */
export function createOwnerOrm(schema: string, entities: Readonly<CreateOrmOptions['entities']>): Promise<MikroORM> {
  return createOrm({ url: databaseUrlFromEnv(), schema, entities: [...entities] });
}

/**
 * One MikroORM instance per service, confined to the service's schema. The pool survives a
 * Postgres restart: knex drops connections that reported an error before handing them out again,
 * and `propagateCreateError: false` keeps acquiring (retrying connection creation) until
 * `acquireTimeoutMillis` instead of failing the first request while the server comes back.
 */
export async function createOrm(options: CreateOrmOptions): Promise<MikroORM> {
  const schema = assertIdentifier(options.schema, 'schema');
  const extensions = options.migrator ? [(await import('@mikro-orm/migrations')).Migrator] : [];
  return MikroORM.init({
    clientUrl: options.url,
    schema,
    entities: [...options.entities],
    discovery: { warnWhenNoEntities: false },
    debug: false,
    allowGlobalContext: false,
    extensions,
    // Migration files are TypeScript; let the caller's loader (swc-node, ts-jest, @swc/jest)
    // compile them rather than MikroORM's native import(), which knows nothing of .ts.
    dynamicImportProvider: (id: string) => import(id),
    migrations: {
      path: options.migrationsPath,
      pathTs: options.migrationsPath,
      glob: '!(*.d).{js,ts}',
      tableName: MIGRATIONS_TABLE,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    pool: {
      min: options.pool?.min ?? 0,
      max: options.pool?.max ?? 10,
      idleTimeoutMillis: 30_000,
      acquireTimeoutMillis: 15_000,
      createRetryIntervalMillis: 250,
      propagateCreateError: false,
    },
    // Unqualified names in migrations and raw SQL resolve to the service's schema.
    driverOptions: {
      searchPath: [schema, 'public'],
      connection: {
        ...postgresTimeoutParameters(options.timeouts),
        ...(options.applicationName ? { application_name: options.applicationName } : {}),
      },
    },
    ...options.overrides,
  });
}
