import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Clock } from '@projectflo/platform/core';
import { quoteIdentifier } from '@projectflo/platform/core';
import { MIGRATIONS_TABLE } from './orm';

/**
 * Applies every pending migration of the ORM's service schema (creating the schema first), each
 * in its own transaction and all-or-nothing. Returns the names applied, oldest first.
 */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const schema = orm.config.get('schema');
  if (schema) await orm.em.getConnection().execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema, 'schema')}`);
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}

const CODE_EXTENSION = /\.(js|ts)$/;

/** The migrations of a folder as MikroORM names them: each code file's name without its extension (createOrm's glob). */
export function migrationFileNames(migrationsPath: string): string[] {
  if (!existsSync(migrationsPath)) return [];
  return readdirSync(migrationsPath)
    .filter((file) => CODE_EXTENSION.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.replace(CODE_EXTENSION, ''))
    .sort();
}

/**
 * Whether the schema's migrations table records every migration of the folder: one query, with
 * neither the ORM nor its migrator (umzug and its CLI) loaded. A service start asks first and
 * runs the migrator only when something is pending (most starts: nothing is).
 */
export async function migrationsApplied(db: { query: Pool['query'] }, schema: string, migrationsPath: string): Promise<boolean> {
  const files = migrationFileNames(migrationsPath);
  const table = `${quoteIdentifier(schema, 'schema')}.${MIGRATIONS_TABLE}`;
  const { rows: found } = await db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [table]);
  if (found[0]?.exists !== true) return files.length === 0;
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${table}`);
  // Compared as MikroORM's storage compares them: without an extension (older rows may have one).
  const applied = new Set(rows.map((row) => row.name.replace(CODE_EXTENSION, '')));
  return files.every((name) => applied.has(name));
}

const MIGRATION_NAME = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

function timestamp(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds())
  );
}

/**
 * Writes a new, empty, timestamped migration `Migration<yyyyMMddHHmmss>_<name>.ts` into a
 * service's migrations folder and returns its path. Migrations are hand-written SQL
 * (`this.addSql(...)`) with unqualified table names (search_path is the service schema), and a
 * file is never edited once it has landed: a fix is a new migration.
 */
export function createMigrationFile(migrationsPath: string, name: string, clock: Clock): string {
  if (!MIGRATION_NAME.test(name)) throw new Error(`migration name must be snake_case ([a-z0-9_]): ${JSON.stringify(name)}`);
  mkdirSync(migrationsPath, { recursive: true });
  const stamp = timestamp(clock.now());
  if (readdirSync(migrationsPath).some((f) => f.startsWith(`Migration${stamp}`))) {
    throw new Error(`a migration with timestamp ${stamp} already exists in ${migrationsPath}`);
  }
  const className = `Migration${stamp}_${name}`;
  const file = join(migrationsPath, `${className}.ts`);
  if (existsSync(file)) throw new Error(`${file} exists`);
  writeFileSync(
    file,
    `import { Migration } from '@mikro-orm/migrations';

export class ${className} extends Migration {
  override async up(): Promise<void> {
    this.addSql(\`\`);
  }
}
`,
  );
  return file;
}
