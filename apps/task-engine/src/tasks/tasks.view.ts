import type { tasksV1 } from '@projectflo/contracts';
import type { ViewFold } from '@projectflo/platform/core';
import { toTimestamp } from '@projectflo/platform/grpc';
import { evolveTask, initialTaskState, type TaskEvent, type TaskSnapshot, type TaskState } from '@projectflo/task-engine/domain';
import { taskPriority, taskStatus } from '../shared/proto-mapping';

/**
 * One task as the API shows it: the domain's fold of its stream (evolveTask) at the stream's
 * version. The read model stores it, a command replies with it and a rebuild replays it, all
 * through evolveTaskView, so a reply and a query cannot disagree.
 */
export interface TaskView {
  readonly task: TaskSnapshot;
  readonly version: number;
}

/** The read model's fold of a task stream: the domain's evolveTask, at the event's stream position. */
export const evolveTaskView: ViewFold<TaskView> = (view, event) => {
  const state: TaskState = view ? { status: 'created', task: view.task } : initialTaskState();
  const next = evolveTask(state, { type: event.type, data: event.data } as TaskEvent);
  return next.status === 'created' ? { task: next.task, version: event.streamPosition } : undefined;
};

export function taskToProto({ task: t, version }: TaskView): tasksV1.Task {
  return {
    taskId: t.taskId,
    templateId: t.source.templateId,
    templateRevision: t.source.templateVersion,
    templateKey: t.source.templateKey,
    parentTaskId: t.parentTaskId ?? '',
    leadId: t.source.trigger.kind === 'lead_status' ? t.source.subjectId : '',
    subjectId: t.source.subjectId,
    name: t.name,
    description: t.description ?? '',
    status: taskStatus.toProto(t.status),
    priority: taskPriority.toProto(t.priority),
    ...(t.dueAt ? { dueAt: toTimestamp(t.dueAt) } : {}),
    assigneeIds: t.assigneeId ? [t.assigneeId] : [],
    phase: t.phase ?? '',
    plannedHours: t.plannedHours,
    actualHours: t.actualHours,
    blockedByTaskIds: [...t.blockedBy],
    checklistItems: t.checklist.map((c, position) => ({
      itemId: c.itemKey,
      title: c.title,
      position,
      assigneeId: c.assigneeId ?? '',
      completed: c.completed,
      completedBy: c.completedBy ?? '',
      ...(c.completedAt ? { completedAt: toTimestamp(c.completedAt) } : {}),
    })),
    clientVisible: false,
    metadata: { ...t.metadata },
    createdAt: toTimestamp(t.createdAt),
    updatedAt: toTimestamp(t.updatedAt),
    version: String(version),
    triggerEventId: t.source.triggerEventId,
    openBlockerTaskIds: [...t.openBlockers],
    overdue: t.overdue,
  };
}
