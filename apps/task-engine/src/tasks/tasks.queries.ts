import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type commonV1, tasksV1 } from '@projectflo/contracts';
import { DomainError, type EventStore } from '@projectflo/platform/core';
import {
  isCalendarDate,
  list,
  optionalTimestamp,
  pageRequest,
  type RequestContext,
  text,
  toPage,
  toTimestamp,
  uuid,
  validate,
} from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import { LIMITS, TaskEngineStreams, type TaskSnapshot } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { commentVisibility, readHistory, taskStatus } from '../shared/proto-mapping';
import { isClientUser } from './client-view';
import { taskToProto, type TaskView } from './tasks.view';

/** The ORM's connection may hand timestamps back as Date or as text, depending on its type parsers. */
type Instant = Date | string;
const iso = (value: Instant): string => new Date(value).toISOString();

const byTask = z.object({ taskId: uuid });

/** A task row: the task as its stream folds it (evolveTaskView), at its stream version. */
interface TaskRow extends Record<string, unknown> {
  task_id: string;
  state: TaskSnapshot;
  version: number;
  sort_due: string;
}

const TASK_COLUMNS = 'task_id, state, version';

const view = (row: TaskRow): TaskView => ({ task: row.state, version: row.version });

/** Keyset paging on (due_at, task_id); tasks without a due date sort last. */
const SORT_DUE = `coalesce(due_at, 'infinity'::timestamptz)`;

/** Postgres's text of a timestamptz (ISO DateStyle), e.g. "2026-12-01 10:00:00.123456+00". */
const SORT_DUE_TEXT = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d){0,2}$/;

/** True for what SORT_DUE reads as text and Postgres reads back as a timestamptz. */
function isSortDue(value: string): boolean {
  if (value === 'infinity') return true;
  const date = SORT_DUE_TEXT.exec(value)?.[1];
  return date !== undefined && !date.startsWith('0000') && isCalendarDate(date);
}

/** Where the previous page ended: the sort due (text, 'infinity' when none) and id of its last task. */
const cursorSchema = z.object({ d: z.string().max(40).refine(isSortDue), id: uuid });

const optionalId = text(LIMITS.id, { required: true }).nullish();
const listRequest = z.object({
  assigneeId: optionalId,
  statuses: list(taskStatus.required, 5),
  dueAfter: optionalTimestamp,
  dueBefore: optionalTimestamp,
  leadId: optionalId,
  subjectId: optionalId,
  overdueOnly: z.boolean().optional(),
  page: pageRequest(cursorSchema),
});

@Injectable()
export class TaskQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async get(ctx: RequestContext, request: tasksV1.GetTaskRequest): Promise<tasksV1.GetTaskResponse> {
    const { taskId } = validate(byTask, request);
    if (isClientUser(ctx)) throw DomainError.notFound('task', taskId);
    return withTenantScope(this.orm, ctx.tenantId, async (tx) => {
      const [row] = await tx.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE task_id = $1`, [taskId]);
      if (!row) throw DomainError.notFound('task', taskId);
      const subtaskRows = await tx.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE parent_task_id = $1 ORDER BY created_at, task_id`, [taskId]);
      const comments = await tx.query<{ comment_id: string; body: string; visibility: string; author_id: string; created_at: Instant }>(
        'SELECT comment_id, body, visibility, author_id, created_at FROM task_comments WHERE task_id = $1 ORDER BY stream_position',
        [taskId],
      );
      const transitions = await tx.query<{ from_status: string | null; to_status: string; actor_id: string; at: Instant; data: unknown }>(
        'SELECT from_status, to_status, actor_id, at, data FROM task_transitions WHERE task_id = $1 ORDER BY stream_position',
        [taskId],
      );
      const blocks = await tx.query<{ task_id: string }>('SELECT task_id FROM task_dependencies WHERE blocker_task_id = $1 ORDER BY task_id', [taskId]);
      return {
        task: taskToProto(view(row)),
        comments: comments.map((c) => ({
          commentId: c.comment_id,
          body: c.body,
          visibility: commentVisibility.toProto(c.visibility),
          authorId: c.author_id,
          createdAt: toTimestamp(iso(c.created_at)),
        })),
        subtasks: subtaskRows.map((r) => taskToProto(view(r))),
        transitions: transitions.map((t) => ({
          fromStatus: taskStatus.toProto(t.from_status ?? ''),
          toStatus: taskStatus.toProto(t.to_status),
          actorId: t.actor_id,
          at: toTimestamp(iso(t.at)),
          dataJson: JSON.stringify(t.data ?? {}),
        })),
        blocksTaskIds: blocks.map((b) => b.task_id),
      };
    });
  }

  async list(ctx: RequestContext, request: tasksV1.ListTasksRequest): Promise<tasksV1.ListTasksResponse> {
    const valid = validate(listRequest, request);
    const { statuses } = valid;
    const { dueAfter, dueBefore } = valid;
    const { size: pageSize, after } = valid.page;
    if (isClientUser(ctx)) return { tasks: [], page: { nextPageToken: '' } };

    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (statuses.length > 0) add((p) => `status = ANY(${p}::text[])`, statuses);
    else where.push(`status <> 'Archived'`);
    if (valid.assigneeId != null) add((p) => `assignee_id = ${p}`, valid.assigneeId);
    if (valid.leadId != null) add((p) => `trigger_kind = 'lead_status' AND subject_id = ${p}`, valid.leadId);
    if (valid.subjectId != null) add((p) => `subject_id = ${p}`, valid.subjectId);
    if (dueAfter) add((p) => `due_at >= ${p}`, dueAfter);
    if (dueBefore) add((p) => `due_at < ${p}`, dueBefore);
    if (valid.overdueOnly) where.push('overdue');
    if (after) {
      params.push(after.d, after.id);
      where.push(`(${SORT_DUE}, task_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(pageSize + 1);
    const sql = `SELECT ${TASK_COLUMNS}, ${SORT_DUE}::text AS sort_due FROM tasks
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${SORT_DUE}, task_id LIMIT $${params.length}`;
    return withTenantScope(this.orm, ctx.tenantId, async (tx) => {
      const rows = await tx.query<TaskRow>(sql, params);
      const { items, nextPageToken } = toPage(rows, { size: pageSize }, (row) => ({ d: row.sort_due, id: row.task_id }));
      return { tasks: items.map((r) => taskToProto(view(r))), page: { nextPageToken } };
    });
  }

  /** Subtasks not yet Completed or Archived (from the read model: a subtask made a moment ago may be missing). */
  async openSubtaskIds(tenantId: string, parentTaskId: string): Promise<string[]> {
    const rows = await withTenantScope(this.orm, tenantId, (tx) =>
      tx.query<{ task_id: string }>(`SELECT task_id FROM tasks WHERE parent_task_id = $1 AND status NOT IN ('Completed', 'Archived')`, [parentTaskId]),
    );
    return rows.map((r) => r.task_id);
  }

  async history(ctx: RequestContext, request: tasksV1.GetTaskHistoryRequest): Promise<{ history: commonV1.AggregateHistory }> {
    const { taskId } = validate(byTask, request);
    if (isClientUser(ctx)) throw DomainError.notFound('task', taskId);
    return readHistory(this.store, ctx.tenantId, TaskEngineStreams.task(taskId), { type: 'task', id: taskId, noun: 'task' });
  }
}
