import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { schedulingV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import {
  type RequestContext,
  idRequestSchema,
  instantPage,
  list,
  optionalTimestamp,
  presenceUuid,
  protoEnum,
  toTimestamp,
  validate,
  type PageCursor,
  toPage,
} from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import {
  type ReminderKindName,
  type ReminderStatusName,
  type ReminderView,
  ReminderViewSchema,
  type TaskScheduleView,
  TaskScheduleViewSchema,
} from './task-schedule.entities';

const KIND_TO_PROTO: Readonly<Record<ReminderKindName, schedulingV1.ReminderKind>> = {
  before_due: schedulingV1.ReminderKind.REMINDER_KIND_BEFORE_DUE,
  on_due: schedulingV1.ReminderKind.REMINDER_KIND_ON_DUE,
  overdue: schedulingV1.ReminderKind.REMINDER_KIND_OVERDUE,
};

const STATUS_TO_PROTO: Readonly<Record<ReminderStatusName, schedulingV1.ReminderStatus>> = {
  pending: schedulingV1.ReminderStatus.REMINDER_STATUS_PENDING,
  fired: schedulingV1.ReminderStatus.REMINDER_STATUS_FIRED,
  cancelled: schedulingV1.ReminderStatus.REMINDER_STATUS_CANCELLED,
};
const PROTO_TO_STATUS = new Map<string, ReminderStatusName>(Object.entries(STATUS_TO_PROTO).map(([name, proto]) => [proto, name as ReminderStatusName]));

const listRemindersSchema = z.object({
  taskId: presenceUuid,
  statuses: list(protoEnum(schedulingV1.ReminderStatus, { required: true }), Object.keys(STATUS_TO_PROTO).length),
  fireAfter: optionalTimestamp,
  fireBefore: optionalTimestamp,
  page: instantPage,
});

function toReminder(row: ReminderView): schedulingV1.Reminder {
  return {
    reminderId: row.id,
    taskId: row.taskId,
    kind: KIND_TO_PROTO[row.kind],
    offsetDays: row.offsetDays,
    fireAt: toTimestamp(row.fireAt),
    status: STATUS_TO_PROTO[row.status],
    ...(row.firedAt ? { firedAt: toTimestamp(row.firedAt) } : {}),
  };
}

function toTaskSchedule(schedule: TaskScheduleView, reminders: readonly ReminderView[]): schedulingV1.TaskSchedule {
  return {
    taskId: schedule.taskId,
    ...(schedule.dueAt ? { dueAt: toTimestamp(schedule.dueAt) } : {}),
    reminders: reminders.map(toReminder),
    taskOpen: schedule.taskOpen,
  };
}

const cursorOf = (row: ReminderView): PageCursor => ({ at: row.fireAt, id: row.id });

/** The schedules and reminders read model, tenant-scoped. */
@Injectable()
export class TaskScheduleQueries {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  async getTaskSchedule(context: RequestContext, request: schedulingV1.GetTaskScheduleRequest): Promise<schedulingV1.GetTaskScheduleResponse> {
    const { taskId } = validate(idRequestSchema('taskId'), request);
    const found = await withTenantScope(this.orm, context.tenantId, async (tx) => {
      const schedule = await tx.em.findOne(TaskScheduleViewSchema, { taskId });
      if (!schedule) return undefined;
      const reminders = await tx.em.find(ReminderViewSchema, { taskId }, { orderBy: { fireAt: 'asc', id: 'asc' } });
      return { schedule, reminders };
    });
    if (!found) throw DomainError.notFound('task schedule', taskId);
    return { schedule: toTaskSchedule(found.schedule, found.reminders) };
  }

  /** In firing order. */
  async listReminders(context: RequestContext, request: schedulingV1.ListRemindersRequest): Promise<schedulingV1.ListRemindersResponse> {
    const filter = validate(listRemindersSchema, request);
    const { fireAfter, fireBefore } = filter;
    if (fireAfter && fireBefore && fireBefore <= fireAfter) {
      throw DomainError.invalid({ field: 'fire_before', description: 'must be later than fire_after' });
    }
    const window = filter.page;
    const where: FilterQuery<ReminderView>[] = [];
    if (filter.taskId) where.push({ taskId: filter.taskId });
    if (filter.statuses.length > 0) where.push({ status: { $in: filter.statuses.flatMap((s) => PROTO_TO_STATUS.get(s) ?? []) } });
    if (fireAfter) where.push({ fireAt: { $gte: fireAfter } });
    if (fireBefore) where.push({ fireAt: { $lt: fireBefore } });
    if (window.after) {
      const { at, id } = window.after;
      where.push({ $or: [{ fireAt: { $gt: at } }, { fireAt: at, id: { $gt: id } }] });
    }
    const rows = await withTenantScope(this.orm, context.tenantId, (tx) =>
      tx.em.find(ReminderViewSchema, where.length > 0 ? { $and: where } : {}, { orderBy: { fireAt: 'asc', id: 'asc' }, limit: window.size + 1 }),
    );
    const { items, nextPageToken } = toPage(rows, window, cursorOf);
    return { reminders: items.map(toReminder), page: { nextPageToken } };
  }
}
