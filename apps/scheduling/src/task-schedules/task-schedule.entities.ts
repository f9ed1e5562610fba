import { EntitySchema } from '@mikro-orm/postgresql';
import type { TaskScheduleRow } from './task-schedule.view';

const datetime = (fieldName: string, nullable = false) => ({ type: 'datetime', fieldName, nullable }) as const;

export const TaskScheduleSchema = new EntitySchema<TaskScheduleRow>({
  name: 'TaskScheduleRow',
  tableName: 'task_schedules',
  properties: {
    taskId: { type: 'string', primary: true, fieldName: 'task_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    state: { type: 'json' },
    status: { type: 'string' },
    dueAt: datetime('due_at'),
    pending: { type: 'json' },
    nextFireAt: datetime('next_fire_at', true),
    firedReminders: { type: 'json', fieldName: 'fired_reminders' },
    updatedAt: datetime('updated_at'),
    version: { type: 'integer' },
  },
});
