import { assertNever, defineDecider } from '@projectflo/platform/core';
import { planTimers, type PlannedReminder, type TimerPlan } from '../reminder-policy/firing-times';
import { rulesFor } from '../reminder-policy/reminder-policy.decider';
import { instant, toInstantString } from '../shared/time';
import type { FireTimer, MoveTaskSchedule, PlanFacts, ReplanTaskSchedule, ScheduleTask, TaskScheduleCommand, Timer } from './task-schedule.commands';
import type { TaskScheduleEvent } from './task-schedule.events';

export interface TaskScheduleState {
  readonly status: 'none' | 'open' | 'ended';
  readonly tenantId: string;
  readonly taskId: string;
  readonly templateKey: string | null;
  readonly dueAt: string | null;
  readonly overdueAt: string | null;
  /** Reminders still to fire, in firing order. */
  readonly reminders: readonly PlannedReminder[];
  /** Occurrences fired (`<reminderKey>@<scheduledFor>`), so none fires twice whatever the plans after it. */
  readonly fired: readonly string[];
  /** Whether TaskDue / TaskOverdue fired for the current due date. */
  readonly dueFired: boolean;
  readonly overdueFired: boolean;
}

export const initialTaskScheduleState = (): TaskScheduleState => ({
  status: 'none',
  tenantId: '',
  taskId: '',
  templateKey: null,
  dueAt: null,
  overdueAt: null,
  reminders: [],
  fired: [],
  dueFired: false,
  overdueFired: false,
});

/** The key of a reminder's occurrence. */
export const occurrenceKey = (r: PlannedReminder): string => `${r.reminderKey}@${r.scheduledFor}`;

export function evolveTaskSchedule(state: TaskScheduleState, event: TaskScheduleEvent): TaskScheduleState {
  switch (event.type) {
    case 'TaskScheduled': {
      const { tenantId, taskId, templateKey, dueAt, overdueAt, reminders } = event.data;
      return { ...state, status: 'open', tenantId, taskId, templateKey, dueAt, overdueAt, reminders, dueFired: false, overdueFired: false };
    }
    case 'TaskScheduleMoved': {
      const { dueAt, overdueAt, reminders } = event.data;
      const sameDue = dueAt === state.dueAt;
      return {
        ...state,
        status: 'open',
        dueAt,
        overdueAt,
        reminders,
        dueFired: sameDue && state.dueFired,
        overdueFired: sameDue && state.overdueFired,
      };
    }
    case 'TaskScheduleEnded':
      return { ...state, status: 'ended', reminders: [] };
    case 'ReminderDue': {
      const key = occurrenceKey(event.data);
      return { ...state, reminders: state.reminders.filter((r) => occurrenceKey(r) !== key), fired: [...state.fired, key] };
    }
    case 'TaskDue':
      return { ...state, dueFired: true };
    case 'TaskOverdue':
      return { ...state, overdueFired: true };
    default:
      return assertNever(event, 'task schedule event');
  }
}

/** What is still to fire, earliest first (ties: reminders, then due, then overdue). */
export interface PendingTimer {
  readonly timer: Timer;
  readonly firesAt: string;
}

export function pendingTimers(state: TaskScheduleState): PendingTimer[] {
  if (state.status !== 'open' || state.dueAt === null || state.overdueAt === null) return [];
  const dueAt = state.dueAt;
  const pending: PendingTimer[] = state.reminders.map((r) => ({ timer: { kind: 'reminder', ...r }, firesAt: r.scheduledFor }));
  if (!state.dueFired) pending.push({ timer: { kind: 'due', dueAt }, firesAt: dueAt });
  if (!state.overdueFired) pending.push({ timer: { kind: 'overdue', dueAt }, firesAt: state.overdueAt });
  const order = { reminder: 0, due: 1, overdue: 2 } as const;
  return pending.sort((a, b) => a.firesAt.localeCompare(b.firesAt) || order[a.timer.kind] - order[b.timer.kind]);
}

function plan(facts: PlanFacts, dueAt: string, templateKey: string | null, fired: readonly string[]): TimerPlan {
  const made = planTimers({ dueAt, plannedFrom: facts.plannedFrom, rules: rulesFor(facts.policy, templateKey), calendar: facts.calendar });
  return { ...made, reminders: made.reminders.filter((r) => !fired.includes(occurrenceKey(r))) };
}

function decideSchedule(command: ScheduleTask, state: TaskScheduleState): TaskScheduleEvent[] {
  if (state.status !== 'none') return [];
  const { data, metadata } = command;
  const { dueAt, overdueAt, reminders } = plan(data, data.dueAt, data.templateKey, []);
  return [
    {
      type: 'TaskScheduled',
      data: {
        tenantId: metadata.tenantId,
        taskId: data.taskId,
        templateKey: data.templateKey,
        dueAt,
        overdueAt,
        reminders,
        scheduledBy: metadata.actorId,
        scheduledAt: toInstantString(metadata.now),
      },
    },
  ];
}

function moved(
  command: MoveTaskSchedule | ReplanTaskSchedule,
  state: TaskScheduleState,
  dueAt: string,
  reason: 'due_date_changed' | 'policy_changed',
): TaskScheduleEvent[] {
  const made = plan(command.data, dueAt, state.templateKey, state.fired);
  // A replan keeps the reminders of the old plan that were already due when the policy changed (their timers are firing).
  const overdue = reason === 'policy_changed' ? state.reminders.filter((r) => r.scheduledFor < toInstantString(instant(command.data.plannedFrom))) : [];
  const next = { ...made, reminders: [...overdue, ...made.reminders] };
  const same = next.dueAt === state.dueAt && next.overdueAt === state.overdueAt && JSON.stringify(next.reminders) === JSON.stringify(state.reminders);
  if (same || state.dueAt === null) return [];
  const { metadata } = command;
  return [
    {
      type: 'TaskScheduleMoved',
      data: {
        tenantId: metadata.tenantId,
        taskId: command.data.taskId,
        ...next,
        previousDueAt: state.dueAt,
        reason,
        movedBy: metadata.actorId,
        movedAt: toInstantString(metadata.now),
      },
    },
  ];
}

function decideMove(command: MoveTaskSchedule, state: TaskScheduleState): TaskScheduleEvent[] {
  const { data, metadata } = command;
  if (state.status === 'ended') return [];
  if (state.status === 'none') {
    return data.dueAt === null ? [] : decideSchedule({ ...command, type: 'ScheduleTask', data: { ...data, dueAt: data.dueAt } }, state);
  }
  if (data.dueAt === null) {
    return [
      {
        type: 'TaskScheduleEnded',
        data: { tenantId: metadata.tenantId, taskId: data.taskId, reason: 'due_date_removed', endedBy: metadata.actorId, endedAt: toInstantString(metadata.now) },
      },
    ];
  }
  const dueAt = toInstantString(instant(data.dueAt));
  return dueAt === state.dueAt ? [] : moved(command, state, dueAt, 'due_date_changed');
}

function decideFire(command: FireTimer, state: TaskScheduleState): TaskScheduleEvent[] {
  const { data, metadata } = command;
  if (state.status !== 'open' || state.dueAt === null) return [];
  const { timer } = data;
  const firedAt = toInstantString(metadata.now);
  const notYet = (at: string) => metadata.now.getTime() < Date.parse(at);
  const fact = { tenantId: metadata.tenantId, taskId: data.taskId };
  switch (timer.kind) {
    case 'reminder': {
      const reminder = state.reminders.find((r) => r.reminderKey === timer.reminderKey && r.scheduledFor === timer.scheduledFor);
      if (!reminder || notYet(reminder.scheduledFor)) return [];
      return [{ type: 'ReminderDue', data: { ...fact, ...reminder, dueAt: state.dueAt, firedAt, templateKey: state.templateKey } }];
    }
    case 'due':
      if (timer.dueAt !== state.dueAt || state.dueFired || notYet(state.dueAt)) return [];
      return [{ type: 'TaskDue', data: { ...fact, dueAt: state.dueAt, firedAt } }];
    case 'overdue':
      if (timer.dueAt !== state.dueAt || state.overdueFired || state.overdueAt === null || notYet(state.overdueAt)) return [];
      return [{ type: 'TaskOverdue', data: { ...fact, dueAt: state.dueAt, firedAt } }];
    default:
      return assertNever(timer, 'timer');
  }
}

/**
 * The schedule of one task with a due date: one stream per task (`task-schedule-<taskId>`). Its
 * timers fire through FireTimer, which emits each reminder once per occurrence (reminder key and
 * firing time), TaskDue and TaskOverdue once per due date, never before their time, and nothing
 * for a timer the schedule no longer has (moved or ended meanwhile).
 */
export const taskScheduleDecider = defineDecider<TaskScheduleState, TaskScheduleCommand, TaskScheduleEvent>({
  aggregate: 'task schedule',
  schemaVersions: { TaskScheduled: 1, TaskScheduleMoved: 1, TaskScheduleEnded: 1, ReminderDue: 1, TaskDue: 1, TaskOverdue: 1 },
  initialState: initialTaskScheduleState,
  evolve: evolveTaskSchedule,
  decide: (command, state) => {
    switch (command.type) {
      case 'ScheduleTask':
        return decideSchedule(command, state);
      case 'MoveTaskSchedule':
        return decideMove(command, state);
      case 'ReplanTaskSchedule':
        return state.status === 'open' && state.dueAt !== null ? moved(command, state, state.dueAt, 'policy_changed') : [];
      case 'EndTaskSchedule': {
        const { data, metadata } = command;
        if (state.status !== 'open') return [];
        return [
          {
            type: 'TaskScheduleEnded',
            data: { tenantId: metadata.tenantId, taskId: data.taskId, reason: data.reason, endedBy: metadata.actorId, endedAt: toInstantString(metadata.now) },
          },
        ];
      }
      case 'FireTimer':
        return decideFire(command, state);
      default:
        return assertNever(command, 'task schedule command');
    }
  },
});
