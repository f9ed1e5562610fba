import { rowProjection } from '@projectflo/platform/persistence';
import { TaskScheduleSchema } from './task-schedule.entities';
import { evolveTaskScheduleRow, TASK_SCHEDULE_EVENT_TYPES } from './task-schedule.view';

/** One row per task schedule (rowProjection: idempotent by the stream version). */
export const taskScheduleProjection = rowProjection({
  name: 'scheduling-task-schedules',
  handles: TASK_SCHEDULE_EVENT_TYPES,
  entity: TaskScheduleSchema,
  table: 'task_schedules',
  key: (event) => ({ taskId: (event.data as { taskId: string }).taskId }),
  fold: evolveTaskScheduleRow,
});
