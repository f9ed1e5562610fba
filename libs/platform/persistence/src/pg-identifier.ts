/** Schema, table and role names are interpolated into DDL; only plain lower-case identifiers pass. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid ${what} ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*, at most 63 characters`);
  return name;
}

export function quoteIdentifier(name: string, what?: string): string {
  return `"${assertIdentifier(name, what)}"`;
}

/** `"schema"."table"` from a schema and a bare table name. */
export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
}
