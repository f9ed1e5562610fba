import { businessCalendarDecider } from '../business-calendar/business-calendar.decider';
import type { BusinessCalendarEvent } from '../business-calendar/business-calendar.events';
import { eventTypeCatalogDecider } from '../event-type/event-type.decider';
import { expansionOutcomeDecider } from '../expansion-outcome/expansion-outcome.decider';
import type { ExpansionOutcomeEvent } from '../expansion-outcome/expansion-outcome.events';
import { externalEventDecider } from '../external-event/external-event.decider';
import { automationGuardDecider } from '../loop-guard/automation-guard.decider';
import { taskTemplateDecider } from '../task-template/task-template.decider';
import { taskDecider } from '../task/task.decider';
import type { AutomationGuardEvent } from '../loop-guard/automation-guard.events';
import type { EventTypeEvent } from '../event-type/event-type.events';
import type { ExternalEventEvent } from '../external-event/external-event.events';
import type { TaskTemplateEvent } from '../task-template/task-template.events';
import type { TaskEvent } from '../task/task.events';

/** The events the task-engine records and publishes. */
export type TaskEngineEvent =
  | EventTypeEvent
  | ExternalEventEvent
  | TaskTemplateEvent
  | TaskEvent
  | AutomationGuardEvent
  | BusinessCalendarEvent
  | ExpansionOutcomeEvent;
export type TaskEngineEventName = TaskEngineEvent['type'];

/** Every event type name the task-engine records, grouped by aggregate (the compiler keeps it complete). */
export const TASK_ENGINE_EVENT_NAMES = {
  eventTypes: ['EventTypeDefined', 'EventTypeRetired'],
  externalEvent: ['ExternalEventIngested'],
  taskTemplate: ['TaskTemplateCreated', 'TaskTemplateRevised', 'TaskTemplateRetired'],
  task: [
    'TaskCreated',
    'TaskStatusChanged',
    'TaskBlockerCompleted',
    'TaskBecameReady',
    'TaskAssigned',
    'TaskRescheduled',
    'ChecklistItemCompleted',
    'ChecklistItemReopened',
    'ChecklistItemAssigned',
    'TaskCommentAdded',
    'TaskHoursLogged',
    'TaskArchived',
    'TaskMarkedOverdue',
  ],
  automationGuard: ['AutomationLoopStopped'],
  businessCalendar: ['BusinessCalendarSet'],
  expansion: ['ExpansionFinished'],
} as const satisfies {
  eventTypes: readonly EventTypeEvent['type'][];
  externalEvent: readonly ExternalEventEvent['type'][];
  taskTemplate: readonly TaskTemplateEvent['type'][];
  task: readonly TaskEvent['type'][];
  automationGuard: readonly AutomationGuardEvent['type'][];
  businessCalendar: readonly BusinessCalendarEvent['type'][];
  expansion: readonly ExpansionOutcomeEvent['type'][];
};

/** Compile-time proof that no event type was left out of TASK_ENGINE_EVENT_NAMES. */
type Listed = (typeof TASK_ENGINE_EVENT_NAMES)[keyof typeof TASK_ENGINE_EVENT_NAMES][number];
type Missing = Exclude<TaskEngineEventName, Listed>;
export const TASK_ENGINE_EVENT_NAMES_COMPLETE: [Missing] extends [never] ? true : Missing = true;

/** Payload schema version of every event type the task-engine records, as its deciders stamp them. */
export const TASK_ENGINE_SCHEMA_VERSIONS: Readonly<Record<TaskEngineEventName, number>> = {
  ...eventTypeCatalogDecider.schemaVersions,
  ...externalEventDecider.schemaVersions,
  ...taskTemplateDecider.schemaVersions,
  ...taskDecider.schemaVersions,
  ...automationGuardDecider.schemaVersions,
  ...businessCalendarDecider.schemaVersions,
  ...expansionOutcomeDecider.schemaVersions,
};
