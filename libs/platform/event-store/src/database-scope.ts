/**
 * Which rows a transaction may touch under row-level security (docs/SECURITY.md). Every table
 * with a tenant column has FORCE ROW LEVEL SECURITY and the policy `tenant_id =
 * current_setting('app.tenant_id')`, and a service logs in as a role RLS applies to, so a
 * transaction that names no scope sees and writes 0 tenant rows. A transaction names one:
 * - `{ tenantId }`: tenant work (commands, queries) sets `app.tenant_id` for the transaction;
 * - `CROSS_TENANT`: work that spans tenants (the relay, consumers and projections, rebuilds,
 *   dispatchers) switches, for the transaction only (SET LOCAL ROLE), to the login role's
 *   `<login>_cross_tenant` role, a NOLOGIN role with BYPASSRLS and the same table privileges. A
 *   session that bypasses RLS already (the owner, in migrations and operator tools) stays as it is.
 */
export type DatabaseScope = { readonly tenantId: string } | typeof CROSS_TENANT;

export const CROSS_TENANT = 'cross-tenant';

/** The transaction setting the tenant policies compare `tenant_id` with. */
export const TENANT_SETTING = 'app.tenant_id';

/** `<login role><suffix>` is the role a login role switches to for cross-tenant work. */
export const CROSS_TENANT_ROLE_SUFFIX = '_cross_tenant';

interface ScopeClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const TENANT_SQL = `SELECT set_config('${TENANT_SETTING}', $1, true)`;
/** Switches to the cross-tenant role for the transaction (`local`) or the whole session; a session that bypasses RLS already stays as it is. */
const crossTenantRoleSql = (local: boolean) => `
  SELECT set_config('role', session_user || '${CROSS_TENANT_ROLE_SUFFIX}', ${local})
  FROM pg_roles WHERE rolname = session_user AND NOT (rolsuper OR rolbypassrls)`;

const CROSS_TENANT_SQL = crossTenantRoleSql(true);

/** The whole session in the cross-tenant role, for connections that serve cross-tenant reads only (CrossTenantReader). */
export const CROSS_TENANT_SESSION_SQL = crossTenantRoleSql(false);

/** Enters `scope` for the rest of the client's open transaction (BEGIN already sent). */
export async function enterScope(client: ScopeClient, scope: DatabaseScope): Promise<void> {
  if (scope === CROSS_TENANT) {
    await client.query(CROSS_TENANT_SQL);
    return;
  }
  if (scope.tenantId.length === 0) throw new Error('a tenant-scoped transaction needs a tenant id');
  await client.query(TENANT_SQL, [scope.tenantId]);
}
