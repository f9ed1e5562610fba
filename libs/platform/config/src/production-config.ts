/**
 * What a production configuration refuses (docs/SECURITY.md): the development database
 * credentials of scripts/infra.sh. A problem names the variable and the user, never the password.
 * That the login role is no superuser and owns nothing is checked against the server at start
 * (`assertServiceRole` in platform/persistence), in every environment.
 */

/** The development owner (scripts/infra.sh, env.sh): MIGRATION_DATABASE_URL's development default. */
export const DEVELOPMENT_OWNER_URL = 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo';

/** Users that own or administer a cluster: never a service's login role in production. */
const OWNER_USERS = new Set(['projectflo', 'postgres']);

/** scripts/infra.sh's passwords: the owner's, and `dev_<role>` of every service role. */
function isDevelopmentPassword(password: string): boolean {
  return password === 'projectflo' || password.startsWith('dev_');
}

export interface DatabaseSettings {
  readonly PROJECTFLO_ENV: 'development' | 'production';
  readonly NODE_ENV?: string | undefined;
  readonly DATABASE_URL?: string | undefined;
  readonly MIGRATION_DATABASE_URL?: string | undefined;
}

export function isProduction(config: Pick<DatabaseSettings, 'PROJECTFLO_ENV' | 'NODE_ENV'>): boolean {
  return config.PROJECTFLO_ENV === 'production' || config.NODE_ENV === 'production';
}

/**
 * The schema owner's URL a service migrates with at start: MIGRATION_DATABASE_URL, else the
 * development owner; none in production without MIGRATION_DATABASE_URL (a migration job,
 * scripts/migrate.ts, runs the migrations beforehand, and the service never holds the owner's password).
 */
export function ownerDatabaseUrl(config: DatabaseSettings): string | undefined {
  return config.MIGRATION_DATABASE_URL ?? (isProduction(config) ? undefined : DEVELOPMENT_OWNER_URL);
}

/** Why a production configuration's database settings are refused; empty when they are not (or in development). */
export function productionDatabaseProblems(config: DatabaseSettings): string[] {
  if (!isProduction(config)) return [];
  const problems: string[] = [];
  const owner = config.MIGRATION_DATABASE_URL === undefined ? undefined : new URL(config.MIGRATION_DATABASE_URL);
  if (owner && isDevelopmentPassword(decodeURIComponent(owner.password))) {
    problems.push('MIGRATION_DATABASE_URL is refused in production: it carries a development password');
  }
  if (config.DATABASE_URL === undefined) {
    problems.push("DATABASE_URL is required in production (the service's own login role)");
    return problems;
  }
  const service = new URL(config.DATABASE_URL);
  const user = decodeURIComponent(service.username);
  if (OWNER_USERS.has(user) || (owner && user === decodeURIComponent(owner.username))) {
    problems.push(`DATABASE_URL is refused in production: it logs in as ${JSON.stringify(user)}, an owner; give the service its own login role`);
  }
  if (isDevelopmentPassword(decodeURIComponent(service.password))) {
    problems.push('DATABASE_URL is refused in production: it carries a development password');
  }
  return problems;
}
