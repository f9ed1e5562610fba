/** Injection tokens of the shared infrastructure every event-sourced service gets. */
export const PG_POOL = Symbol('projectflo.PgPool');
export const EVENT_STORE = Symbol('projectflo.EventStore');
export const MIKRO_ORM = Symbol('projectflo.MikroORM');
export const KAFKA = Symbol('projectflo.Kafka');
export const TEMPORAL = Symbol('projectflo.TemporalClient');
export const SERVICE_OPTIONS = Symbol('projectflo.EventSourcedServiceOptions');
