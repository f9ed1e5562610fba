import type { tasksV1 } from '@projectflo/contracts';
import { assertNever, type RecordedEvent } from '@projectflo/platform/core';
import { toTimestamp } from '@projectflo/platform/grpc';
import type { TaskEvent } from '@projectflo/task-engine/domain';
import { priorityToProto, statusToProto } from '../shared/proto-mapping';

export interface ChecklistRecord {
  readonly itemKey: string;
  readonly position: number;
  readonly title: string;
  readonly assigneeId: string | null;
  readonly completed: boolean;
  readonly completedBy: string | null;
  readonly completedAt: string | null;
}

/** One task as the API shows it; built from read-model rows (queries) or folded from its stream (command replies). */
export interface TaskRecord {
  readonly taskId: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: string;
  readonly priority: string;
  readonly phase: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly dueAt: string | null;
  readonly assigneeId: string | null;
  readonly parentTaskId: string | null;
  readonly subjectId: string;
  readonly triggerKind: string;
  readonly triggerEventId: string;
  readonly templateId: string;
  readonly templateKey: string;
  readonly templateVersion: number;
  readonly plannedHours: string;
  readonly actualHours: string;
  readonly blockedBy: readonly string[];
  readonly openBlockers: readonly string[];
  readonly checklist: readonly ChecklistRecord[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export function taskToProto(t: TaskRecord): tasksV1.Task {
  return {
    taskId: t.taskId,
    templateId: t.templateId,
    templateRevision: t.templateVersion,
    templateKey: t.templateKey,
    parentTaskId: t.parentTaskId ?? '',
    leadId: t.triggerKind === 'lead_status' ? t.subjectId : '',
    subjectId: t.subjectId,
    name: t.name,
    description: t.description ?? '',
    status: statusToProto(t.status),
    priority: priorityToProto(t.priority),
    ...(t.dueAt ? { dueAt: toTimestamp(t.dueAt) } : {}),
    assigneeIds: t.assigneeId ? [t.assigneeId] : [],
    phase: t.phase ?? '',
    plannedHours: t.plannedHours,
    actualHours: t.actualHours,
    blockedByTaskIds: [...t.blockedBy],
    checklistItems: [...t.checklist]
      .sort((a, b) => a.position - b.position)
      .map((c) => ({
        itemId: c.itemKey,
        title: c.title,
        position: c.position,
        assigneeId: c.assigneeId ?? '',
        completed: c.completed,
        completedBy: c.completedBy ?? '',
        ...(c.completedAt ? { completedAt: toTimestamp(c.completedAt) } : {}),
      })),
    clientVisible: false,
    metadata: { ...t.metadata },
    createdAt: toTimestamp(t.createdAt),
    updatedAt: toTimestamp(t.updatedAt),
    version: String(t.version),
    triggerEventId: t.triggerEventId,
    openBlockerTaskIds: [...t.openBlockers],
  };
}

/**
 * Folds a task's recorded stream into the record the API returns, so a command can answer with
 * the task as its own write left it (the read model catches up asynchronously).
 */
export function foldTaskRecord(events: readonly RecordedEvent[]): TaskRecord | undefined {
  let task: TaskRecord | undefined;
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as TaskEvent;
    const at = recorded.metadata.occurredAt;
    if (event.type === 'TaskCreated') {
      const d = event.data;
      task = {
        taskId: d.taskId,
        name: d.name,
        description: d.description,
        status: d.status,
        priority: d.priority,
        phase: d.phase,
        metadata: d.metadata,
        dueAt: d.dueAt,
        assigneeId: d.assigneeId,
        parentTaskId: d.parentTaskId,
        subjectId: d.source.subjectId,
        triggerKind: d.source.trigger.kind,
        triggerEventId: d.source.triggerEventId,
        templateId: d.source.templateId,
        templateKey: d.source.templateKey,
        templateVersion: d.source.templateVersion,
        plannedHours: d.plannedHours,
        actualHours: '0.00',
        blockedBy: d.blockedBy,
        openBlockers: d.blockedBy,
        checklist: d.checklist.map((c, i) => ({ ...c, position: i, assigneeId: null, completed: false, completedBy: null, completedAt: null })),
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
        version: recorded.streamPosition,
      };
      continue;
    }
    if (!task) continue;
    const item = (key: string, change: Partial<ChecklistRecord>) => task!.checklist.map((c) => (c.itemKey === key ? { ...c, ...change } : c));
    let change: Partial<TaskRecord> = {};
    switch (event.type) {
      case 'TaskStatusChanged':
      case 'TaskBecameReady':
      case 'TaskArchived':
        change = { status: event.data.to };
        break;
      case 'TaskBlockerCompleted':
        change = { openBlockers: event.data.openBlockers };
        break;
      case 'TaskAssigned':
        change = { assigneeId: event.data.assigneeId };
        break;
      case 'TaskRescheduled':
        change = { dueAt: event.data.dueAt };
        break;
      case 'ChecklistItemCompleted':
        change = { checklist: item(event.data.itemKey, { completed: true, completedBy: event.data.by, completedAt: event.data.at }) };
        break;
      case 'ChecklistItemReopened':
        change = { checklist: item(event.data.itemKey, { completed: false, completedBy: null, completedAt: null }) };
        break;
      case 'ChecklistItemAssigned':
        change = { checklist: item(event.data.itemKey, { assigneeId: event.data.assigneeId }) };
        break;
      case 'TaskHoursLogged':
        change = { actualHours: event.data.actualTotal };
        break;
      case 'TaskCommentAdded':
        break;
      default:
        assertNever(event, 'task event');
    }
    task = { ...task, ...change, updatedAt: at, version: recorded.streamPosition };
  }
  return task;
}
