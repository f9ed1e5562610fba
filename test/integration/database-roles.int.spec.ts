import { randomUUID } from 'node:crypto';
import { CROSS_TENANT, createPgPool, CrossTenantReader, type DatabaseScope, inScopedTransaction } from '@projectflo/platform/event-store';
import { databaseUrlFromEnv, developmentServiceDatabaseUrl, TENANT_COLUMN } from '@projectflo/platform/persistence';
import { type EventSourcedServiceOptions, migrateServiceSchema } from '@projectflo/platform/service';
import type { Pool, PoolClient } from 'pg';
import { BUILD_LEDGER_SERVICE_OPTIONS } from '../../apps/build-ledger/src/build-ledger.service-options';
import { CRM_SERVICE_OPTIONS } from '../../apps/crm/src/crm.service-options';
import { NOTIFICATIONS_SERVICE_OPTIONS } from '../../apps/notifications/src/notifications.service-options';
import { SCHEDULING_SERVICE_OPTIONS } from '../../apps/scheduling/src/scheduling.service-options';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../../apps/task-engine/src/task-engine.service-options';

// Every service's schema, migrated by the owner as a service start does (migrateServiceSchema),
// then probed with the service's own login role (pf_<service>) against the real Postgres: row-level
// security is forced on every table with a tenant column, found in pg_catalog (so a new table
// without it fails here), and the role can neither change the schema nor read another service's.

const ownerUrl = databaseUrlFromEnv();
const run = randomUUID().slice(0, 8);
const tenantA = randomUUID();
const tenantB = randomUUID();
const SERVICES: readonly EventSourcedServiceOptions[] = [
  CRM_SERVICE_OPTIONS,
  TASK_ENGINE_SERVICE_OPTIONS,
  BUILD_LEDGER_SERVICE_OPTIONS,
  SCHEDULING_SERVICE_OPTIONS,
  NOTIFICATIONS_SERVICE_OPTIONS,
];

interface ServiceSchema {
  readonly options: EventSourcedServiceOptions;
  readonly schema: string;
  /** The service's own login role. */
  readonly pool: Pool;
  readonly tenantTables: readonly string[];
}

let owner: Pool;
const schemas = new Map<string, ServiceSchema>();

/** A value of the column's type for a seeded row, as SQL (`$1` is the row's tenant). */
const VALUE_OF_TYPE: Readonly<Record<string, string>> = {
  text: `'seed-' || gen_random_uuid()`,
  uuid: 'gen_random_uuid()',
  integer: '1',
  bigint: '1',
  smallint: '1',
  numeric: '1',
  boolean: 'false',
  jsonb: `'{}'::jsonb`,
  json: `'{}'::json`,
  'timestamp with time zone': 'now()',
  date: 'current_date',
  'text[]': `'{}'::text[]`,
};

interface Column {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly defaulted: boolean;
}

/** An INSERT of one row of `table` for the tenant `$1`, every column without a default given a value of its type. */
async function seedInsert(db: Pool | PoolClient, schema: string, table: string): Promise<string> {
  const { rows } = await db.query<Column>(
    `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type, NOT a.attnotnull AS nullable, a.atthasdef OR a.attidentity <> '' AS defaulted
     FROM pg_attribute a WHERE a.attrelid = format('%I.%I', $1::text, $2::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [schema, table],
  );
  const given = rows.filter((c) => c.name === TENANT_COLUMN || (!c.defaulted && !c.nullable));
  const values = given.map((c) => {
    if (c.name === TENANT_COLUMN) return '$1';
    const value = VALUE_OF_TYPE[c.type];
    if (value === undefined) throw new Error(`no seed value for ${table}.${c.name} of type ${c.type}: add one to VALUE_OF_TYPE`);
    return value;
  });
  return `INSERT INTO "${schema}"."${table}" (${given.map((c) => `"${c.name}"`).join(', ')}) VALUES (${values.join(', ')})`;
}

async function count(db: Pool | PoolClient, schema: string, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
  return rows[0]?.n ?? -1;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

beforeAll(async () => {
  owner = createPgPool(ownerUrl, { max: 2 });
  for (const options of SERVICES) {
    const schema = `${options.schema}_rls_${run}`;
    const serviceUrl = developmentServiceDatabaseUrl(options.service, ownerUrl);
    await migrateServiceSchema({ service: options.service, schema, ownerUrl, serviceUrl, postgresEventStore: true, migrationsPath: options.migrationsPath });
    const { rows } = await owner.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped)
       ORDER BY 1`,
      [schema, TENANT_COLUMN],
    );
    const tenantTables = rows.map((r) => r.table_name);
    // The seeded rows are values of the columns' types, not of the domain: the throw-away schema
    // loses its CHECK and FOREIGN KEY constraints first (row-level security does not depend on them).
    const constraints = await owner.query<{ table_name: string; name: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.conname AS name FROM pg_constraint c
       WHERE c.connamespace = $1::regnamespace AND c.contype IN ('c', 'f')`,
      [schema],
    );
    for (const c of constraints.rows) await owner.query(`ALTER TABLE ${c.table_name} DROP CONSTRAINT "${c.name}"`);
    for (const table of tenantTables) {
      const insert = await seedInsert(owner, schema, table);
      for (const tenant of [tenantA, tenantB]) await owner.query(insert, [tenant]);
    }
    schemas.set(options.service, { options, schema, pool: createPgPool(serviceUrl, { max: 2 }), tenantTables });
  }
}, 120_000);

afterAll(async () => {
  for (const { schema, pool } of schemas.values()) {
    await pool.end();
    await owner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  await owner?.end();
});

describe.each(SERVICES.map((s) => [s.service]))("%s's login role", (service) => {
  const the = (): ServiceSchema => schemas.get(service)!;

  it('has FORCE ROW LEVEL SECURITY on every table with a tenant column, the event log included', async () => {
    const { schema, tenantTables } = the();
    expect(tenantTables).toContain('events');
    const { rows } = await owner.query<{ table_name: string; enabled: boolean; forced: boolean }>(
      `SELECT c.relname AS table_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2) ORDER BY 1`,
      [schema, tenantTables],
    );
    expect(rows).toEqual(tenantTables.map((table_name) => ({ table_name, enabled: true, forced: true })));
  });

  it('sees 0 rows of every tenant table without a tenant setting, and writes none', async () => {
    const { schema, pool, tenantTables } = the();
    for (const table of tenantTables) {
      expect({ table, owner: await count(owner, schema, table), service: await count(pool, schema, table) }).toEqual({ table, owner: 2, service: 0 });
      const insert = await seedInsert(owner, schema, table);
      expect(await failure(pool.query(insert, [tenantA]))).toMatch(/row-level security/);
    }
  });

  it("sees only its tenant's rows in a tenant scope, and cannot insert another tenant's", async () => {
    const { schema, pool, tenantTables } = the();
    for (const table of tenantTables) {
      const insert = await seedInsert(owner, schema, table);
      const seen = await inScopedTransaction(pool, { tenantId: tenantA }, async (client) => {
        const { rows } = await client.query<{ tenant: string }>(`SELECT ${TENANT_COLUMN} AS tenant FROM "${schema}"."${table}"`);
        return rows.map((r) => r.tenant);
      });
      expect({ table, seen }).toEqual({ table, seen: [tenantA] });
      const refused = await failure(inScopedTransaction(pool, { tenantId: tenantA }, (client) => client.query(insert, [tenantB])));
      expect({ table, refused }).toEqual({ table, refused: expect.stringMatching(/row-level security/) });
    }
  });

  it('sees every tenant only in the explicit cross-tenant scope', async () => {
    const { schema, pool } = the();
    const all = await inScopedTransaction(pool, CROSS_TENANT, (client) => count(client, schema, 'events'));
    expect(all).toBe(2);
  });

  it("reads every tenant's events through the event store's cross-tenant reader, whose sessions are its own", async () => {
    const { schema, pool } = the();
    const reader = new CrossTenantReader(pool, 1);
    try {
      // Twice: the second read reuses the connection switched by the first.
      for (let i = 0; i < 2; i++) expect((await reader.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".events`)).rows[0]!.n).toBe(2);
      // The service's pool is untouched: without a scope it still sees no tenant's rows.
      expect(await count(pool, schema, 'events')).toBe(0);
      for (const other of schemas.values()) {
        if (other.options.service === service) continue;
        expect(await failure(reader.query(`SELECT 1 FROM "${other.schema}".events`))).toMatch(/permission denied for schema/);
      }
    } finally {
      await reader.end();
    }
  });

  it('cannot create, alter or drop anything, and cannot rewrite the event log, in any scope', async () => {
    const { schema, pool } = the();
    const scopes: readonly DatabaseScope[] = [{ tenantId: tenantA }, CROSS_TENANT];
    for (const scope of scopes) {
      const attempt = (sql: string) => failure(inScopedTransaction(pool, scope, (client) => client.query(sql)));
      expect(await attempt(`CREATE TABLE "${schema}".intruder (id int)`)).toMatch(/permission denied for schema/);
      expect(await attempt(`CREATE TABLE public.intruder (id int)`)).toMatch(/permission denied for schema/);
      expect(await attempt(`CREATE SCHEMA intruder_${run}`)).toMatch(/permission denied for database/);
      expect(await attempt(`ALTER TABLE "${schema}".events ADD COLUMN intruder int`)).toMatch(/must be owner/);
      expect(await attempt(`ALTER TABLE "${schema}".events NO FORCE ROW LEVEL SECURITY`)).toMatch(/must be owner/);
      expect(await attempt(`DROP TABLE "${schema}".events`)).toMatch(/must be owner/);
      expect(await attempt(`UPDATE "${schema}".events SET type = 'forged'`)).toMatch(/permission denied for table events/);
      expect(await attempt(`DELETE FROM "${schema}".events`)).toMatch(/permission denied for table events/);
      expect(await attempt(`SELECT * FROM "${schema}".mikro_orm_migrations`)).toMatch(/permission denied for table mikro_orm_migrations/);
    }
  });

  it("cannot read another service's schema, even cross-tenant", async () => {
    const { pool } = the();
    for (const other of schemas.values()) {
      if (other.options.service === service) continue;
      const refused = await failure(inScopedTransaction(pool, CROSS_TENANT, (client) => client.query(`SELECT 1 FROM "${other.schema}".events`)));
      expect({ other: other.options.service, refused }).toEqual({ other: other.options.service, refused: expect.stringMatching(/permission denied for schema/) });
    }
  });
});
