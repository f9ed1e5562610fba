import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { schedulingRemindersV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { isTimestampInstant, pageRequest, type RequestContext, text, toPage, toTimestamp, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import type { PendingTimer } from '@projectflo/scheduling/domain';
import { z } from 'zod';
import { TaskScheduleSchema } from './task-schedule.entities';
import type { TaskScheduleRow } from './task-schedule.view';

const getRequest = z.object({ taskId: text(128, { required: true }) });
/** Where the previous page ended: the (next_fire_at, task_id) of its last schedule. */
const cursorSchema = z.object({ t: z.string().datetime().refine(isTimestampInstant), id: text(128, { required: true }) });
type Cursor = z.infer<typeof cursorSchema>;
const listRequest = z.object({ page: pageRequest(cursorSchema) });

const TIMER_KIND: Record<PendingTimer['timer']['kind'], schedulingRemindersV1.TimerKind> = {
  reminder: schedulingRemindersV1.TimerKind.TIMER_KIND_REMINDER,
  due: schedulingRemindersV1.TimerKind.TIMER_KIND_DUE,
  overdue: schedulingRemindersV1.TimerKind.TIMER_KIND_OVERDUE,
};

function toProto(row: TaskScheduleRow): schedulingRemindersV1.TaskSchedule {
  const { state } = row;
  return {
    taskId: row.taskId,
    templateKey: state.templateKey ?? '',
    dueAt: toTimestamp(row.dueAt),
    ...(state.overdueAt ? { overdueAt: toTimestamp(state.overdueAt) } : {}),
    status: row.status === 'open' ? schedulingRemindersV1.TaskScheduleStatus.TASK_SCHEDULE_STATUS_OPEN : schedulingRemindersV1.TaskScheduleStatus.TASK_SCHEDULE_STATUS_ENDED,
    pending: row.pending.map((p) => ({ kind: TIMER_KIND[p.timer.kind], reminderKey: p.timer.kind === 'reminder' ? p.timer.reminderKey : '', firesAt: toTimestamp(p.firesAt) })),
    firedReminders: row.firedReminders.map((f) => ({ reminderKey: f.reminderKey, scheduledFor: toTimestamp(f.scheduledFor), firedAt: toTimestamp(f.firedAt) })),
    dueFired: state.dueFired,
    overdueFired: state.overdueFired,
    version: String(row.version),
  };
}

const cursorOf = (row: TaskScheduleRow): Cursor => ({ t: (row.nextFireAt ?? row.dueAt).toISOString(), id: row.taskId });

/** GetTaskSchedule / ListTaskSchedules from the task_schedules read model, under the tenant's row-level security. */
@Injectable()
export class TaskScheduleQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  /** Every task with a due date has one; another tenant's task is invisible → NOT_FOUND. */
  getTaskSchedule(ctx: RequestContext, request: schedulingRemindersV1.GetTaskScheduleRequest): Promise<schedulingRemindersV1.GetTaskScheduleResponse> {
    const { taskId } = validate(getRequest, request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const row = await em.findOne(TaskScheduleSchema, { taskId });
      if (!row) throw DomainError.notFound('task schedule', taskId);
      return { schedule: toProto(row) };
    });
  }

  /** Open schedules with something pending, by next firing (then task id), keyset-paged. */
  listTaskSchedules(ctx: RequestContext, request: schedulingRemindersV1.ListTaskSchedulesRequest): Promise<schedulingRemindersV1.ListTaskSchedulesResponse> {
    const { page } = validate(listRequest, request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const after = page.after;
      const rows = await em.find(
        TaskScheduleSchema,
        {
          nextFireAt: { $ne: null },
          ...(after ? { $or: [{ nextFireAt: { $gt: new Date(after.t) } }, { nextFireAt: new Date(after.t), taskId: { $gt: after.id } }] } : {}),
        },
        { orderBy: [{ nextFireAt: 'asc' }, { taskId: 'asc' }], limit: page.size + 1 },
      );
      const { items, nextPageToken } = toPage(rows, page, cursorOf);
      return { schedules: items.map(toProto), page: { nextPageToken } };
    });
  }
}
