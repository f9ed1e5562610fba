import type { EntitySchema } from '@mikro-orm/core';
import type { TopicMap, TopicSelector } from '@projectflo/platform/messaging';

export interface WorkerDefinition {
  /** The service's own Temporal task queue, e.g. `task-engine`. */
  readonly taskQueue: string;
  /**
   * Absolute path of the module exporting the workflows (bundled with the workspace aliases). It
   * should re-export `serviceDiagnosticsWorkflow` from `@projectflo/platform/service` (whose
   * index.workflow.ts holds only workflow code); the diagnostics workflows alone when omitted.
   */
  readonly workflowsPath?: string;
  /**
   * Run the workflows in a worker thread of their own instead of the service's main thread
   * (OWN_WORKFLOW_THREAD against the default IN_THREAD_WORKFLOWS): for a worker whose workflow
   * tasks must not queue behind the service's other work, such as scheduling's reminder timers
   * under a burst of starts (docs/benchmarks.md, "Lean start"). Costs ~20 MB of idle RSS.
   */
  readonly ownWorkflowThread?: boolean;
}

/** What makes one service: its schema, what it publishes, its read model and its worker. */
export interface EventSourcedServiceOptions {
  /** e.g. `crm`: client ids, relay name, CloudEvents source. */
  readonly service: string;
  /** The service's own Postgres schema (event store, read model, inbox, checkpoints). */
  readonly schema: string;
  /** Aggregate type → Kafka topic: what the relay publishes. */
  readonly topics: TopicMap;
  /** Extra topics the service creates at start (e.g. another context's topic it consumes). */
  readonly extraTopics?: readonly string[];
  /**
   * What its consumers read: consumer purpose (group `<schema>.<purpose>`) → topics. The
   * ConsumerFactory refuses a consumer not declared here, and the service's Kafka ACLs are computed
   * from it (serviceAcls): its user reads these topics in these groups and nothing else.
   */
  readonly consumes?: Readonly<Record<string, readonly TopicSelector[]>>;
  /** MikroORM EntitySchemas of the read model. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- MikroORM's own EntitySchema generic default
  readonly entities: readonly EntitySchema<any, any>[];
  /** Folder of the committed read-model migrations. */
  readonly migrationsPath: string;
  /** The Temporal worker, for services that run automations. */
  readonly worker?: WorkerDefinition;
}

/**
 * A consumer group id owned by this service instance: `<schema>.<purpose>`, e.g.
 * `task_engine.lead-automation`, so an isolated test instance (own DB_SCHEMA) never shares a group
 * (and its offsets) with the running platform.
 */
export function consumerGroup(options: Pick<EventSourcedServiceOptions, 'schema'>, purpose: string): string {
  return `${options.schema}.${purpose}`;
}
