import { crossTenantRoleOf, developmentPassword, developmentServiceDatabaseUrl, loginRoleOf, serviceLoginRole } from './database-roles';

describe('the service database roles', () => {
  it('names a service login role as scripts/infra.sh creates it, and its cross-tenant role', () => {
    expect(serviceLoginRole('task-engine')).toBe('pf_task_engine');
    expect(crossTenantRoleOf('pf_task_engine')).toBe('pf_task_engine_cross_tenant');
    expect(developmentPassword('pf_crm')).toBe('dev_pf_crm');
  });

  it("derives a service's development URL from the owner's server and database", () => {
    const url = developmentServiceDatabaseUrl('crm', 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo?sslmode=disable');
    expect(url).toBe('postgres://pf_crm:dev_pf_crm@127.0.0.1:55432/projectflo?sslmode=disable');
    expect(loginRoleOf(url)).toBe('pf_crm');
  });

  it('refuses a login role that is no plain identifier (it is spliced into GRANT statements)', () => {
    expect(() => loginRoleOf('postgres://Robert%22%3B%20DROP:x@h/db')).toThrow(/invalid login role/);
  });
});
