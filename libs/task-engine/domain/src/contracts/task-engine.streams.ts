/**
 * Aggregate types of the task-engine: the prefix of their stream names (`<type>-<id>`), the key of
 * the relay's topic map, and the CloudEvents subject type.
 */
export const TASK_ENGINE_AGGREGATE_TYPES = {
  eventTypes: 'event-types',
  externalEvent: 'external-event',
  taskTemplate: 'task-template',
  task: 'task',
  automationGuard: 'automation-guard',
  businessCalendar: 'business-calendar',
  expansion: 'expansion',
} as const;

export type TaskEngineAggregate = keyof typeof TASK_ENGINE_AGGREGATE_TYPES;

/**
 * The aggregates whose streams the relay publishes: all of them. The task-engine is the one owner of
 * the tenant's business calendar (SetBusinessCalendar); scheduling learns it from
 * `tasks.business-calendar.v1`.
 */
export type TaskEnginePublishedAggregate = TaskEngineAggregate;

const stream = (aggregate: TaskEngineAggregate) => (id: string) => `${TASK_ENGINE_AGGREGATE_TYPES[aggregate]}-${id}`;

/** Stream names. Catalog, guard and calendar streams are per tenant; the others per aggregate id (a uuid). */
export const TaskEngineStreams = {
  eventTypes: stream('eventTypes'),
  externalEvent: stream('externalEvent'),
  taskTemplate: stream('taskTemplate'),
  task: stream('task'),
  automationGuard: stream('automationGuard'),
  businessCalendar: stream('businessCalendar'),
  /** One per trigger event: its expansion's outcome. */
  expansion: stream('expansion'),
} as const satisfies Record<TaskEngineAggregate, (id: string) => string>;

/** One topic per aggregate type, keyed by aggregate id (per-aggregate order). */
export const TASK_ENGINE_TOPICS: Readonly<Record<TaskEnginePublishedAggregate, string>> = {
  eventTypes: 'tasks.event-type.v1',
  externalEvent: 'tasks.external-event.v1',
  taskTemplate: 'tasks.task-template.v1',
  task: 'tasks.task.v1',
  automationGuard: 'tasks.automation-guard.v1',
  businessCalendar: 'tasks.business-calendar.v1',
  expansion: 'tasks.expansion.v1',
};

/** The same map keyed by aggregate type, the shape `@projectflo/platform/messaging`'s relay takes. */
export const TASK_ENGINE_TOPIC_MAP: Readonly<Record<string, string>> = Object.fromEntries(
  (Object.keys(TASK_ENGINE_TOPICS) as TaskEnginePublishedAggregate[]).map((a) => [TASK_ENGINE_AGGREGATE_TYPES[a], TASK_ENGINE_TOPICS[a]]),
);

/**
 * Where external producers publish events for ingestion (message schema: externalEventInboundMessageV1):
 * one topic per tenant, `tasks.external-events.in.v1.<tenantId>`, which only that tenant's Kafka
 * user may write, so the tenant of a message is the one its producer authenticated as.
 */
export const EXTERNAL_EVENTS_INBOUND_TOPIC = 'tasks.external-events.in.v1';
export const EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX = `${EXTERNAL_EVENTS_INBOUND_TOPIC}.`;

/** A tenant's inbound topic. */
export function externalEventsInboundTopic(tenantId: string): string {
  if (!/^[a-zA-Z0-9_-]{1,100}$/.test(tenantId)) throw new Error(`tenant id ${JSON.stringify(tenantId)} cannot name a Kafka topic`);
  return `${EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX}${tenantId}`;
}

/** The tenant of an inbound topic, or undefined for any other topic. */
export function inboundTopicTenant(topic: string): string | undefined {
  const tenantId = topic.startsWith(EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX) ? topic.slice(EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX.length) : '';
  return /^[a-zA-Z0-9_-]{1,100}$/.test(tenantId) ? tenantId : undefined;
}
