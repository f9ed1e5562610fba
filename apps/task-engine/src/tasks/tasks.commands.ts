import { Injectable } from '@nestjs/common';
import { tasksV1 } from '@projectflo/contracts';
import { deriveId, DomainError, eventOf } from '@projectflo/platform/core';
import {
  type CommandContext,
  expectedVersion,
  list,
  optionalCalendarDate,
  optionalTimestamp,
  text,
  toTimestamp,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import { LIMITS, SLUG_RULE, TaskEngineStreams, taskDecider, type JsonObject, type TaskCommand } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { commentVisibility, taskStatus } from '../shared/proto-mapping';
import { TaskQueries } from './tasks.queries';
import { evolveTaskView, taskToProto } from './tasks.view';

/** LogTaskHoursRequest.hours: a decimal such as "1.25" (the domain checks its value). */
const MAX_HOURS_TEXT = 12;
/** LogTaskHoursRequest.note: the domain keeps "worked on YYYY-MM-DD: " and the note within LIMITS.reason. */
const MAX_HOURS_NOTE = LIMITS.reason - 100;

const reason = text(LIMITS.reason);
const changeStatusRequest = z.object({ taskId: uuid, toStatus: taskStatus.required, reason, expectedVersion });
const startRequest = z.object({ taskId: uuid, expectedVersion });
const completeItemRequest = z.object({
  taskId: uuid,
  itemId: text(SLUG_RULE.max, SLUG_RULE),
  expectedVersion,
});
const addCommentRequest = z.object({
  taskId: uuid,
  body: text(LIMITS.commentBody, { required: true }),
  visibility: commentVisibility.optional,
});
const reassignRequest = z.object({
  taskId: uuid,
  assigneeIds: list(text(LIMITS.id, { required: true, pattern: /^\S+$/, patternDescription: 'must not contain whitespace' }), 1).refine(
    (ids) => ids.length <= 1,
    'a task has at most one assignee',
  ),
  reason,
  expectedVersion,
});
const rescheduleRequest = z.object({ taskId: uuid, dueAt: optionalTimestamp, reason, expectedVersion });
const logHoursRequest = z.object({
  taskId: uuid,
  hours: text(MAX_HOURS_TEXT, { required: true }),
  workedOn: optionalCalendarDate,
  note: text(MAX_HOURS_NOTE),
  expectedVersion,
});

/**
 * The task commands of the API. Each runs the task decider on `task-<id>` (a stream of another
 * tenant answers NOT_FOUND) and replies with the task as the command left it: the read model's
 * fold (evolveTaskView) of the stream, without reading it again.
 */
@Injectable()
export class TaskCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: TaskQueries,
  ) {}

  async changeStatus(ctx: CommandContext, request: tasksV1.ChangeTaskStatusRequest): Promise<tasksV1.ChangeTaskStatusResponse> {
    const valid = validate(changeStatusRequest, request);
    const to = valid.toStatus;
    const data: JsonObject = valid.reason === '' ? {} : { reason: valid.reason };
    if (to === 'Archived') {
      return { task: await this.run(ctx, { type: 'ArchiveTask', data: { taskId: valid.taskId, reason: valid.reason || null } }, valid.expectedVersion) };
    }
    if (to !== 'Ready to Start' && to !== 'In Progress' && to !== 'Completed') {
      throw DomainError.invalid({ field: 'to_status', description: 'must be READY_TO_START, IN_PROGRESS, COMPLETED or ARCHIVED' });
    }
    const openChildTaskIds = to === 'Completed' ? await this.queries.openSubtaskIds(ctx.tenantId, valid.taskId) : [];
    return { task: await this.run(ctx, { type: 'ChangeTaskStatus', data: { taskId: valid.taskId, toStatus: to, data, openChildTaskIds } }, valid.expectedVersion) };
  }

  async start(ctx: CommandContext, request: tasksV1.StartTaskRequest): Promise<tasksV1.StartTaskResponse> {
    const valid = validate(startRequest, request);
    return {
      task: await this.run(ctx, { type: 'ChangeTaskStatus', data: { taskId: valid.taskId, toStatus: 'In Progress', data: {}, openChildTaskIds: [] } }, valid.expectedVersion),
    };
  }

  async completeChecklistItem(ctx: CommandContext, request: tasksV1.CompleteChecklistItemRequest): Promise<tasksV1.CompleteChecklistItemResponse> {
    const valid = validate(completeItemRequest, request);
    return {
      task: await this.run(ctx, { type: 'CompleteChecklistItem', data: { taskId: valid.taskId, itemId: valid.itemId } }, valid.expectedVersion),
    };
  }

  async addComment(ctx: CommandContext, request: tasksV1.AddTaskCommentRequest): Promise<tasksV1.AddTaskCommentResponse> {
    const valid = validate(addCommentRequest, request);
    const visibility = valid.visibility ?? 'Internal';
    // One comment per request: a retried call finds its own comment instead of adding another.
    const commentId = deriveId('task-comment', ctx.tenantId, ctx.requestId);
    const result = await this.executor.run(
      taskDecider,
      TaskEngineStreams.task(valid.taskId),
      { type: 'AddTaskComment', data: { taskId: valid.taskId, commentId, body: valid.body, visibility } },
      { context: ctx },
    );
    // A retried request returns the comment its first attempt added.
    const { data: added } = eventOf(result.events, 'TaskCommentAdded');
    return {
      comment: {
        commentId: added.commentId,
        body: added.body,
        visibility: commentVisibility.toProto(added.visibility),
        authorId: added.by,
        createdAt: toTimestamp(added.at),
      },
      taskVersion: String(result.version),
    };
  }

  async reassign(ctx: CommandContext, request: tasksV1.ReassignTaskRequest): Promise<tasksV1.ReassignTaskResponse> {
    const valid = validate(reassignRequest, request);
    return {
      task: await this.run(
        ctx,
        { type: 'AssignTask', data: { taskId: valid.taskId, assigneeId: valid.assigneeIds[0] ?? null, reason: valid.reason || null } },
        valid.expectedVersion,
      ),
    };
  }

  async reschedule(ctx: CommandContext, request: tasksV1.RescheduleTaskRequest): Promise<tasksV1.RescheduleTaskResponse> {
    const valid = validate(rescheduleRequest, request);
    return {
      task: await this.run(
        ctx,
        { type: 'RescheduleTask', data: { taskId: valid.taskId, dueAt: valid.dueAt ? valid.dueAt.toISOString() : null, reason: valid.reason || null } },
        valid.expectedVersion,
      ),
    };
  }

  async logHours(ctx: CommandContext, request: tasksV1.LogTaskHoursRequest): Promise<tasksV1.LogTaskHoursResponse> {
    const valid = validate(logHoursRequest, request);
    const note = [valid.workedOn && `worked on ${valid.workedOn}`, valid.note].filter((part) => part).join(': ') || null;
    return {
      task: await this.run(ctx, { type: 'LogTaskHours', data: { taskId: valid.taskId, hours: valid.hours, note } }, valid.expectedVersion),
    };
  }

  private async run(ctx: CommandContext, command: CommandIntent<TaskCommand>, expectedVersion?: number): Promise<tasksV1.Task> {
    const stream = TaskEngineStreams.task(command.data.taskId);
    const { view } = await this.executor.run(taskDecider, stream, command, { context: ctx, expectedVersion, view: evolveTaskView });
    if (!view) throw DomainError.notFound('task', command.data.taskId);
    return taskToProto(view);
  }
}
