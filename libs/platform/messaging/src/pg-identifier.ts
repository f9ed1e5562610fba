const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema names are interpolated into DDL (identifiers cannot be bound as parameters), so they
 * are restricted to plain lower-case identifiers and quoted.
 */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`invalid Postgres schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*`);
  }
  return `"${schema}"`;
}
