import { randomUUID } from 'node:crypto';
import type { tasksTaskEventsV1 } from '@projectflo/contracts';
import { relayedEvent } from '@projectflo/platform/testing';
import type { z } from 'zod';

/** The consumer groups of a scheduling instance on `schema` (what a test deletes afterwards). */
export const schedulingConsumerGroups = (schema: string): string[] =>
  ['user-directory', 'task-schedules', 'business-calendar', 'policy-replan', 'read-model', 'project-assignments'].map((purpose) => `${schema}.${purpose}`);

/** A task-engine task event as its relay publishes it on tasks.task.v1 (keyed by task id). */
export function taskMessage(tenantId: string, taskId: string, type: string, data: unknown, eventId: string = randomUUID()) {
  return relayedEvent('task-engine', `task-${taskId}`, tenantId, type, data, { eventId, actorId: 'user-ops' });
}

/** A TaskCreated payload (contract tasks.task.v1) due at `dueAt`, created now. */
export function taskCreated(tenantId: string, taskId: string, dueAt: Date, templateKey = 'call-back'): z.infer<typeof tasksTaskEventsV1.TaskCreatedV1> {
  return {
    tenantId,
    taskId,
    source: { triggerEventId: randomUUID(), trigger: { kind: 'lead_status', statusId: randomUUID() }, subjectId: randomUUID(), templateId: randomUUID(), templateKey, templateVersion: 1 },
    name: 'Call the couple back',
    description: null,
    priority: 'High',
    phase: null,
    metadata: {},
    dueAt: dueAt.toISOString(),
    dueDateBasis: { kind: 'trigger_time' },
    assigneeId: null,
    parentTaskId: null,
    blockedBy: [],
    status: 'To-Do',
    checklist: [],
    plannedHours: '1.00',
    allowCompleteWithOpenSubtasks: false,
    createdBy: 'system:task-engine',
    createdAt: new Date().toISOString(),
  };
}

export function taskRescheduled(tenantId: string, taskId: string, dueAt: Date, previousDueAt: Date): z.infer<typeof tasksTaskEventsV1.TaskRescheduledV1> {
  return { tenantId, taskId, by: 'user-ops', at: new Date().toISOString(), dueAt: dueAt.toISOString(), previousDueAt: previousDueAt.toISOString(), reason: null };
}

export function taskCompleted(tenantId: string, taskId: string): z.infer<typeof tasksTaskEventsV1.TaskStatusChangedV1> {
  return { tenantId, taskId, by: 'user-ops', at: new Date().toISOString(), from: 'In Progress', to: 'Completed', data: {} };
}
