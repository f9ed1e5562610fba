import type { MikroORM } from '@mikro-orm/postgresql';
import { qualifiedTable } from '@projectflo/platform/core';
import { TENANT_POLICY, tenantPolicySql } from './database-roles';
import { OrmUnitOfWork, type OrmTx } from './orm-unit-of-work';

/**
 * Tenant isolation on read models (database-scope.ts in platform/event-store, database-roles.ts).
 *
 * Every table with a tenant column has FORCE ROW LEVEL SECURITY and a policy comparing
 * `tenant_id` with the transaction's `app.tenant_id`, and the service logs in with a role that
 * is neither superuser nor owner, so the policy binds every query, not only those that opt in:
 * an unset `app.tenant_id` sees and writes 0 rows. The query side reads through
 * {@link withTenantScope}; consumers, projections and rebuilds write every tenant's rows in the
 * cross-tenant scope (`new OrmUnitOfWork(orm, CROSS_TENANT)`).
 */

/**
 * Statements the landed read-model migrations call for each tenant table. The owner's security
 * step (`secureServiceSchema`, after every migration) does the same for every tenant table it
 * finds, so a new migration needs no call.
 */
export function rowLevelSecuritySql(schema: string, table: string): string[] {
  const target = qualifiedTable(schema, table);
  return [
    `ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${target} FORCE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS "${TENANT_POLICY}" ON ${target}`,
    tenantPolicySql(target),
  ];
}

/**
 * Runs read queries for one tenant: `tx.em` and `tx.query` only see rows whose tenant_id is
 * `tenantId`, whatever ids the caller asks for. Read-only by design (a READ ONLY transaction).
 */
export async function withTenantScope<R>(orm: MikroORM, tenantId: string, fn: (tx: OrmTx) => Promise<R>): Promise<R> {
  return new OrmUnitOfWork(orm, { tenantId }).transactional(async (tx) => {
    await tx.query('SET TRANSACTION READ ONLY');
    return fn(tx);
  });
}
