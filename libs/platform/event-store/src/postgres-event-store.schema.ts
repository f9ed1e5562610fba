/**
 * The PostgreSQL event store's own DDL. It is not a read-model migration: the store applies it
 * itself (`PostgresEventStore.ensureSchema()`), idempotently, in the service's own schema, and
 * records the version it applied in `event_store_schema_version`. A change to this DDL is a new
 * numbered step appended to EVENT_STORE_SCHEMA_STEPS — never an edit of a step that has shipped.
 */
export const EVENT_STORE_SCHEMA_VERSION = 1;

export interface SchemaStep {
  readonly version: number;
  readonly description: string;
  readonly sql: (schema: string) => string;
}

export const EVENT_STORE_SCHEMA_STEPS: readonly SchemaStep[] = [
  {
    version: 1,
    description: 'events table: commit-ordered global log, streams by (name, position), unique event ids',
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.events (
        global_position bigserial   PRIMARY KEY,
        -- The writing transaction: readers order by (transaction_id, global_position) and stay
        -- below the oldest running transaction, so a transaction that commits late is never skipped.
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_name     text        NOT NULL,
        stream_position int         NOT NULL,
        event_id        uuid        NOT NULL,
        type            text        NOT NULL,
        schema_version  int         NOT NULL,
        tenant_id       text        NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_position_unique UNIQUE (stream_name, stream_position),
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_position_positive CHECK (stream_position > 0)
      );
      CREATE INDEX IF NOT EXISTS events_commit_order_idx ON ${s}.events (transaction_id, global_position);
      CREATE INDEX IF NOT EXISTS events_tenant_idx ON ${s}.events (tenant_id);
    `,
  },
];

export function schemaBootstrapSql(s: string): string {
  return `
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.event_store_schema_version (
      version     int         PRIMARY KEY,
      description text        NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    );
  `;
}

/**
 * What a service's login role may do on the store's own tables (granted by the owner's security
 * step, `secureServiceSchema` in platform/persistence): the log is append-only, and the DDL
 * version is the owner's business. Other tables of the schema get the read-model privileges.
 */
export const EVENT_STORE_TABLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  events: ['SELECT', 'INSERT'],
  event_store_schema_version: [],
};

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
