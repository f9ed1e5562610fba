import { join } from 'node:path';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX, TASK_ENGINE_TOPIC_MAP, TASK_ENGINE_TOPICS } from '@projectflo/task-engine/domain';
import { crmLeadEventsV1, crmOrganizationEventsV1, ledgerBuildEventsV1, schedulingTaskScheduleEventsV1 } from '@projectflo/contracts';
import { TASK_ENGINE_SERVICE } from './shared/task-engine.constants';

/** Absolute path of the workflow module the worker bundles (resolved, so .ts under swc/jest and .js when compiled). */
export const EXPANSION_WORKFLOWS_PATH: string = require.resolve('./automation/expansion.workflows');

/**
 * What makes the task-engine: its schema, the topics it publishes (and the crm topic it makes sure
 * exists), what its consumers read, its read-model migrations and its Temporal worker. DB_SCHEMA and
 * TEMPORAL_TASK_QUEUE override schema and task queue for isolated test instances.
 */
export const TASK_ENGINE_SERVICE_OPTIONS: EventSourcedServiceOptions = {
  service: TASK_ENGINE_SERVICE,
  schema: 'task_engine',
  topics: TASK_ENGINE_TOPIC_MAP,
  extraTopics: [crmLeadEventsV1.CRM_LEAD_TOPIC_V1, crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1, ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1],
  consumes: {
    'read-model': [TASK_ENGINE_TOPICS.eventTypes, TASK_ENGINE_TOPICS.taskTemplate, TASK_ENGINE_TOPICS.task],
    dependencies: [TASK_ENGINE_TOPICS.task],
    'event-automation': [TASK_ENGINE_TOPICS.externalEvent],
    'lead-automation': [crmLeadEventsV1.CRM_LEAD_TOPIC_V1],
    'user-directory': [crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1],
    overdue: [schedulingTaskScheduleEventsV1.SCHEDULING_TASK_SCHEDULE_TOPIC_V1],
    'build-expansion': [ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1],
    // One topic per tenant, written only by that tenant's inbound user (scripts/kafka-inbound-tenant.ts).
    'inbound-external-events': [{ prefix: EXTERNAL_EVENTS_INBOUND_TOPIC_PREFIX }],
  },
  // The read model is plain SQL (see read-model.projection.ts): no entities to register.
  entities: [],
  migrationsPath: join(__dirname, 'migrations'),
  worker: { taskQueue: 'task-engine', workflowsPath: EXPANSION_WORKFLOWS_PATH },
};
