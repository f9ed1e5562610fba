import { join } from 'node:path';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { EXTERNAL_EVENTS_INBOUND_TOPIC, TASK_ENGINE_TOPIC_MAP } from '@projectflo/task-engine/domain';
import { crmLeadEventsV1 } from '@projectflo/contracts';
import { TASK_ENGINE_SERVICE } from './shared/task-engine.constants';

/** Absolute path of the workflow module the worker bundles (resolved, so .ts under swc/jest and .js when compiled). */
export const EXPANSION_WORKFLOWS_PATH: string = require.resolve('./automation/expansion.workflows');

/**
 * What makes the task-engine: its schema, the topics it publishes (and the inbound and crm topics
 * it makes sure exist), its read-model migrations and its Temporal worker. DB_SCHEMA and
 * TEMPORAL_TASK_QUEUE override schema and task queue for isolated test instances.
 */
export const TASK_ENGINE_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: TASK_ENGINE_SERVICE,
  schema: 'task_engine',
  topics: TASK_ENGINE_TOPIC_MAP,
  extraTopics: [EXTERNAL_EVENTS_INBOUND_TOPIC, crmLeadEventsV1.CRM_LEAD_TOPIC_V1],
  // The read model is plain SQL (see read-model.projection.ts): no entities to register.
  entities: [],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'task-engine', workflowsPath: EXPANSION_WORKFLOWS_PATH },
};
