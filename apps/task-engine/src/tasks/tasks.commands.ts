import { Inject, Injectable } from '@nestjs/common';
import { tasksV1 } from '@projectflo/contracts';
import { type Clock, type CommandMetadata, deriveId, DomainError } from '@projectflo/platform/core';
import { CLOCK, type CommandContext, expectedVersionOf, fromTimestamp, toCommandMetadata, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { TaskEngineStreams, taskDecider, type JsonObject, type TaskCommand } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { statusFromProto, visibilityFromProto, visibilityToProto } from '../shared/proto-mapping';
import { SCHEMA_VERSIONS } from '../shared/task-engine.constants';
import { TaskQueries } from './tasks.queries';
import { foldTaskRecord, taskToProto } from './tasks.view';

const taskId = z.string().uuid('must be a UUID');
const byTask = z.object({ taskId }).passthrough();
const reason = z.string().max(1000);

type TaskCommandWithoutMetadata = TaskCommand extends infer C ? (C extends TaskCommand ? Omit<C, 'metadata'> : never) : never;

/**
 * The task commands of the API. Each runs the task decider on `task-<id>` (a stream of another
 * tenant answers NOT_FOUND) and replies with the task folded from its own stream.
 */
@Injectable()
export class TaskCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: TaskQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async changeStatus(ctx: CommandContext, request: tasksV1.ChangeTaskStatusRequest): Promise<tasksV1.ChangeTaskStatusResponse> {
    const valid = validate(byTask.extend({ reason }), request);
    const to = statusFromProto(request.toStatus);
    const expectedVersion = expectedVersionOf(request.expectedVersion);
    const data: JsonObject = valid.reason === '' ? {} : { reason: valid.reason };
    if (to === 'Archived') {
      return { task: await this.run(ctx, { type: 'ArchiveTask', data: { taskId: valid.taskId, reason: valid.reason || null } }, expectedVersion) };
    }
    if (to !== 'Ready to Start' && to !== 'In Progress' && to !== 'Completed') {
      throw DomainError.invalid({ field: 'to_status', description: 'must be READY_TO_START, IN_PROGRESS, COMPLETED or ARCHIVED' });
    }
    const openChildTaskIds = to === 'Completed' ? await this.queries.openSubtaskIds(ctx.tenantId, valid.taskId) : [];
    return { task: await this.run(ctx, { type: 'ChangeTaskStatus', data: { taskId: valid.taskId, to, data, openChildTaskIds } }, expectedVersion) };
  }

  async start(ctx: CommandContext, request: tasksV1.StartTaskRequest): Promise<tasksV1.StartTaskResponse> {
    const { taskId: id } = validate(byTask, request);
    return {
      task: await this.run(ctx, { type: 'ChangeTaskStatus', data: { taskId: id, to: 'In Progress', data: {}, openChildTaskIds: [] } }, expectedVersionOf(request.expectedVersion)),
    };
  }

  async completeChecklistItem(ctx: CommandContext, request: tasksV1.CompleteChecklistItemRequest): Promise<tasksV1.CompleteChecklistItemResponse> {
    const valid = validate(byTask.extend({ itemId: z.string().min(1, 'must not be empty').max(64) }), request);
    return {
      task: await this.run(ctx, { type: 'CompleteChecklistItem', data: { taskId: valid.taskId, itemKey: valid.itemId } }, expectedVersionOf(request.expectedVersion)),
    };
  }

  async addComment(ctx: CommandContext, request: tasksV1.AddTaskCommentRequest): Promise<tasksV1.AddTaskCommentResponse> {
    const valid = validate(byTask, request);
    const visibility = visibilityFromProto(request.visibility);
    if (!visibility) throw DomainError.invalid({ field: 'visibility', description: 'must be INTERNAL or CLIENT_VISIBLE' });
    // One comment per request: a retried call finds its own comment instead of adding another.
    const commentId = deriveId('task-comment', ctx.tenantId, ctx.requestId);
    const metadata = toCommandMetadata(ctx, this.clock);
    const result = await this.executor.execute(
      taskDecider,
      TaskEngineStreams.task(valid.taskId),
      { type: 'AddTaskComment', data: { taskId: valid.taskId, commentId, body: request.body, visibility }, metadata },
      { aggregate: 'task', schemaVersions: SCHEMA_VERSIONS },
    );
    const added = result.events.find((e) => e.type === 'TaskCommentAdded');
    const data = added?.data as { by: string; at: string } | undefined;
    return {
      comment: {
        commentId,
        body: request.body,
        visibility: visibilityToProto(visibility),
        authorId: data?.by ?? metadata.actorId,
        createdAt: { seconds: String(Math.floor(Date.parse(data?.at ?? metadata.now.toISOString()) / 1000)), nanos: 0 },
      },
      taskVersion: String(result.version),
    };
  }

  async reassign(ctx: CommandContext, request: tasksV1.ReassignTaskRequest): Promise<tasksV1.ReassignTaskResponse> {
    const valid = validate(
      byTask.extend({ assigneeIds: z.array(z.string().min(1).max(128)).max(1, 'a task has at most one assignee'), reason }),
      request,
    );
    return {
      task: await this.run(
        ctx,
        { type: 'AssignTask', data: { taskId: valid.taskId, assigneeId: valid.assigneeIds[0] ?? null, reason: valid.reason || null } },
        expectedVersionOf(request.expectedVersion),
      ),
    };
  }

  async reschedule(ctx: CommandContext, request: tasksV1.RescheduleTaskRequest): Promise<tasksV1.RescheduleTaskResponse> {
    const valid = validate(byTask.extend({ reason }), request);
    const dueAt = fromTimestamp(request.dueAt, 'due_at');
    return {
      task: await this.run(
        ctx,
        { type: 'RescheduleTask', data: { taskId: valid.taskId, dueAt: dueAt ? dueAt.toISOString() : null, reason: valid.reason || null } },
        expectedVersionOf(request.expectedVersion),
      ),
    };
  }

  async logHours(ctx: CommandContext, request: tasksV1.LogTaskHoursRequest): Promise<tasksV1.LogTaskHoursResponse> {
    const valid = validate(
      byTask.extend({
        workedOn: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'must be a date YYYY-MM-DD'),
        note: z.string().max(900),
      }),
      request,
    );
    const note = [valid.workedOn && `worked on ${valid.workedOn}`, valid.note].filter((part) => part).join(': ') || null;
    return {
      task: await this.run(ctx, { type: 'LogTaskHours', data: { taskId: valid.taskId, hours: request.hours, note } }, expectedVersionOf(request.expectedVersion)),
    };
  }

  private async run(ctx: CommandContext, command: TaskCommandWithoutMetadata, expectedVersion?: number): Promise<tasksV1.Task> {
    const stream = TaskEngineStreams.task(command.data.taskId);
    const metadata: CommandMetadata = toCommandMetadata(ctx, this.clock);
    await this.executor.execute(taskDecider, stream, { ...command, metadata } as TaskCommand, {
      aggregate: 'task',
      schemaVersions: SCHEMA_VERSIONS,
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    });
    const { events } = await this.executor.store.readStream(stream);
    const record = foldTaskRecord(events);
    if (!record) throw DomainError.notFound('task', command.data.taskId);
    return taskToProto(record);
  }
}
