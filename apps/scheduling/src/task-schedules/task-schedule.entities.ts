import { EntitySchema } from '@mikro-orm/postgresql';

export const REMINDER_KINDS = ['before_due', 'on_due', 'overdue'] as const;
export type ReminderKindName = (typeof REMINDER_KINDS)[number];
export const REMINDER_STATUSES = ['pending', 'fired', 'cancelled'] as const;
export type ReminderStatusName = (typeof REMINDER_STATUSES)[number];

/** The schedule held for one task. */
export interface TaskScheduleView {
  taskId: string;
  tenantId: string;
  dueAt: Date | null;
  taskOpen: boolean;
  updatedAt: Date;
  version: number;
}

/** One reminder (or the deadline) of a task's schedule. */
export interface ReminderView {
  id: string;
  tenantId: string;
  taskId: string;
  kind: ReminderKindName;
  offsetDays: number;
  fireAt: Date;
  status: ReminderStatusName;
  firedAt: Date | null;
}

export const TaskScheduleViewSchema = new EntitySchema<TaskScheduleView>({
  name: 'TaskScheduleView',
  tableName: 'task_schedules',
  properties: {
    taskId: { type: 'string', primary: true, fieldName: 'task_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    dueAt: { type: 'Date', fieldName: 'due_at', nullable: true },
    taskOpen: { type: 'boolean', fieldName: 'task_open' },
    updatedAt: { type: 'Date', fieldName: 'updated_at' },
    version: { type: 'integer' },
  },
});

export const ReminderViewSchema = new EntitySchema<ReminderView>({
  name: 'ReminderView',
  tableName: 'reminders',
  properties: {
    id: { type: 'string', primary: true, fieldName: 'reminder_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    taskId: { type: 'string', fieldName: 'task_id' },
    kind: { type: 'string' },
    offsetDays: { type: 'integer', fieldName: 'offset_days' },
    fireAt: { type: 'Date', fieldName: 'fire_at' },
    status: { type: 'string' },
    firedAt: { type: 'Date', fieldName: 'fired_at', nullable: true },
  },
});

export const SCHEDULING_ENTITIES = [TaskScheduleViewSchema, ReminderViewSchema];
