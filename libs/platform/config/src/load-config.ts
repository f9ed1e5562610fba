import { z } from 'zod';
import { redactSetting } from '@projectflo/platform/secrets';
import { productionDatabaseProblems, type DatabaseSettings } from './production-config';

/** The configuration was invalid; `problems` names each bad variable, `message` lists them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates environment variables against a zod object schema. Empty strings count as unset, so
 * `FOO=` falls back to FOO's default. Every problem is reported at once, each naming its variable
 * and, when the schema `.describe()`s it, what the variable is for:
 *
 *   Invalid configuration: DATABASE_URL is required (postgres URL of the read-model database)
 */
export function loadConfig<Schema extends z.AnyZodObject>(schema: Schema, env: Env = process.env): z.infer<Schema> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = schema.safeParse(input);
  if (result.success) {
    const refused = hasDatabaseSettings(result.data) ? productionDatabaseProblems(result.data) : [];
    if (refused.length > 0) throw new ConfigError(refused);
    return result.data as z.infer<Schema>;
  }
  const problems = result.error.issues.map((issue) => describeIssue(schema, issue, input));
  throw new ConfigError([...new Set(problems)]);
}

function hasDatabaseSettings(data: unknown): data is DatabaseSettings {
  return typeof data === 'object' && data !== null && 'PROJECTFLO_ENV' in data;
}

function describeIssue(schema: z.AnyZodObject, issue: z.ZodIssue, input: Record<string, string>): string {
  const name = String(issue.path[0] ?? '(configuration)');
  const field = schema.shape[name] as z.ZodTypeAny | undefined;
  const purpose = field?.description ? ` (${field.description})` : '';
  if (input[name] === undefined) return `${name} is required${purpose}`;
  return `${name} is invalid: ${issue.message}, got ${JSON.stringify(redactSetting(name, input[name]))}${purpose}`;
}
