/**
 * A plain lower-case Postgres identifier, at most 63 characters. Schema, table and role names are
 * interpolated into SQL (identifiers cannot be bound as parameters), so only these pass: the one
 * rule for DB_SCHEMA, the event store, the inbox and relay checkpoints, and the read models.
 */
export const PG_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string, what = 'identifier'): string {
  if (!PG_IDENTIFIER.test(name)) throw new Error(`invalid ${what} ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*, at most 63 characters`);
  return name;
}

export function quoteIdentifier(name: string, what?: string): string {
  return `"${assertIdentifier(name, what)}"`;
}

/** `"schema"."table"` from a schema and a bare table name. */
export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
}
