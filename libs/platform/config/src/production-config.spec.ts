import { baseConfigSchema } from './base-config';
import { ConfigError, loadConfig } from './load-config';
import { DEVELOPMENT_OWNER_URL, ownerDatabaseUrl } from './production-config';

const OWNER = 'postgres://app_owner:Owner-Secret-1@db.internal:5432/projectflo';
const SERVICE = 'postgres://crm_login:Login-Secret-2@db.internal:5432/projectflo';

/** The database variables as every service loads them (the rest of the base schema is not under test here). */
const databaseSchema = baseConfigSchema.pick({ DATABASE_URL: true, MIGRATION_DATABASE_URL: true, PROJECTFLO_ENV: true, NODE_ENV: true });

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(databaseSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('a production configuration', () => {
  it("accepts the service's own login role and a non-development owner", () => {
    expect(problemsOf({ PROJECTFLO_ENV: 'production', DATABASE_URL: SERVICE, MIGRATION_DATABASE_URL: OWNER })).toEqual([]);
  });

  it('refuses the development owner and the development service passwords, naming the variable and never the password', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo',
      MIGRATION_DATABASE_URL: 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo',
    });
    expect(problems).toEqual([
      'MIGRATION_DATABASE_URL is refused in production: it carries a development password',
      'DATABASE_URL is refused in production: it logs in as "projectflo", an owner; give the service its own login role',
      'DATABASE_URL is refused in production: it carries a development password',
    ]);
    const devRole = problemsOf({ PROJECTFLO_ENV: 'production', DATABASE_URL: 'postgres://pf_crm:dev_pf_crm@h:5432/db', MIGRATION_DATABASE_URL: OWNER });
    expect(devRole).toEqual(['DATABASE_URL is refused in production: it carries a development password']);
    expect(devRole.join(' ')).not.toContain('dev_pf_crm');
  });

  it('refuses the owner as the service login and requires DATABASE_URL', () => {
    const asOwner = problemsOf({ PROJECTFLO_ENV: 'production', DATABASE_URL: OWNER, MIGRATION_DATABASE_URL: OWNER });
    expect(asOwner).toEqual(['DATABASE_URL is refused in production: it logs in as "app_owner", an owner; give the service its own login role']);
    expect(asOwner.join(' ')).not.toContain('Owner-Secret-1');
    expect(problemsOf({ PROJECTFLO_ENV: 'production', MIGRATION_DATABASE_URL: OWNER })).toEqual([
      "DATABASE_URL is required in production (the service's own login role)",
    ]);
  });

  it('lets a production service run without the owner URL (a migration job migrates), and development use the development credentials', () => {
    expect(problemsOf({ PROJECTFLO_ENV: 'production', DATABASE_URL: SERVICE })).toEqual([]);
    expect(problemsOf({ DATABASE_URL: 'postgres://pf_crm:dev_pf_crm@127.0.0.1:55432/projectflo' })).toEqual([]);
  });
});

describe('ownerDatabaseUrl (what a service migrates with at start)', () => {
  it('is MIGRATION_DATABASE_URL, else the development owner, and nothing in production without it (a migration job migrates)', () => {
    expect(ownerDatabaseUrl({ PROJECTFLO_ENV: 'production', MIGRATION_DATABASE_URL: OWNER })).toBe(OWNER);
    expect(ownerDatabaseUrl({ PROJECTFLO_ENV: 'development' })).toBe(DEVELOPMENT_OWNER_URL);
    expect(ownerDatabaseUrl({ PROJECTFLO_ENV: 'development', NODE_ENV: 'production' })).toBeUndefined();
  });
});
