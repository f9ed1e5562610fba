import { deciderSpecification } from '@projectflo/platform/core';
import { DEFAULT_BUSINESS_CALENDAR } from '../reminder-policy/firing-times';
import { DEFAULT_REMINDER_POLICY } from '../reminder-policy/reminder-policy.decider';
import type { ReminderPolicy } from '../reminder-policy/reminder-policy.events';
import { meta, NOW, TENANT } from '../shared/command-metadata.fixtures';
import type { FireTimer, MoveTaskSchedule, PlanFacts, ReplanTaskSchedule, ScheduleTask, Timer } from './task-schedule.commands';
import { evolveTaskSchedule, initialTaskScheduleState, pendingTimers, taskScheduleDecider } from './task-schedule.decider';
import type { ReminderDue, TaskDue, TaskOverdue, TaskScheduled, TaskScheduleEnded, TaskScheduleEvent, TaskScheduleMoved } from './task-schedule.events';

const spec = deciderSpecification(taskScheduleDecider);
const TASK = 'task-1';
const NOW_ISO = NOW.toISOString();
const facts = (policy: Partial<ReminderPolicy> = {}, plannedFrom = NOW_ISO): PlanFacts => ({
  policy: { ...DEFAULT_REMINDER_POLICY, ...policy },
  calendar: DEFAULT_BUSINESS_CALENDAR,
  plannedFrom,
});
const at = (iso: string) => meta({ now: new Date(iso) });

const schedule: ScheduleTask = { type: 'ScheduleTask', data: { ...facts(), taskId: TASK, templateKey: 'call-back', dueAt: '2025-06-20T12:00:00Z' }, metadata: meta() };
const scheduled: TaskScheduled = {
  type: 'TaskScheduled',
  data: {
    tenantId: TENANT,
    taskId: TASK,
    templateKey: 'call-back',
    dueAt: '2025-06-20T12:00:00.000Z',
    overdueAt: '2025-06-21T12:00:00.000Z',
    reminders: [
      { reminderKey: 'P3D', scheduledFor: '2025-06-17T12:00:00.000Z' },
      { reminderKey: 'P1D', scheduledFor: '2025-06-19T12:00:00.000Z' },
    ],
    scheduledBy: 'system:scheduling',
    scheduledAt: NOW_ISO,
  },
};
const fire = (timer: Timer, now: string): FireTimer => ({ type: 'FireTimer', data: { taskId: TASK, timer }, metadata: at(now) });
const p3d: Timer = { kind: 'reminder', reminderKey: 'P3D', scheduledFor: '2025-06-17T12:00:00.000Z' };
const p3dDue: ReminderDue = {
  type: 'ReminderDue',
  data: {
    tenantId: TENANT,
    taskId: TASK,
    reminderKey: 'P3D',
    scheduledFor: '2025-06-17T12:00:00.000Z',
    dueAt: '2025-06-20T12:00:00.000Z',
    firedAt: '2025-06-17T12:00:00.250Z',
    templateKey: 'call-back',
  },
};
const move = (dueAt: string | null, now = '2025-06-17T13:00:00.000Z'): MoveTaskSchedule => ({
  type: 'MoveTaskSchedule',
  data: { ...facts({}, now), taskId: TASK, templateKey: 'call-back', dueAt },
  metadata: at(now),
});
const ended = (reason: TaskScheduleEnded['data']['reason'], endedAt = NOW_ISO): TaskScheduleEnded => ({
  type: 'TaskScheduleEnded',
  data: { tenantId: TENANT, taskId: TASK, reason, endedBy: 'system:scheduling', endedAt },
});

describe('task schedule decider', () => {
  describe('when the task is new', () => {
    it('plans its reminders, due and overdue moments from the policy and calendar', () => {
      spec.given([]).when(schedule).then([scheduled]);
    });

    it('fires nothing and ends nothing', () => {
      spec.given([]).when(fire(p3d, '2025-06-17T12:00:01Z')).then([]);
      spec.given([]).when({ type: 'EndTaskSchedule', data: { taskId: TASK, reason: 'completed' }, metadata: meta() }).then([]);
    });
  });

  describe('when a reminder is pending', () => {
    it('fires it at its time, once', () => {
      spec.given([scheduled]).when(fire(p3d, '2025-06-17T12:00:00.250Z')).then([p3dDue]);
      spec.given([scheduled, p3dDue]).when(fire(p3d, '2025-06-17T12:00:05Z')).then([]);
    });

    it('never fires it early (a timer that woke before its time)', () => {
      spec.given([scheduled]).when(fire(p3d, '2025-06-17T11:59:59.999Z')).then([]);
    });

    it('ignores a timer the schedule does not have (a stale plan)', () => {
      spec.given([scheduled]).when(fire({ ...p3d, scheduledFor: '2025-06-16T12:00:00.000Z' }, '2025-06-18T00:00:00Z')).then([]);
    });
  });

  describe('when the due date moves', () => {
    const movedEvent: TaskScheduleMoved = {
      type: 'TaskScheduleMoved',
      data: {
        tenantId: TENANT,
        taskId: TASK,
        dueAt: '2025-06-25T12:00:00.000Z',
        overdueAt: '2025-06-26T12:00:00.000Z',
        reminders: [
          { reminderKey: 'P3D', scheduledFor: '2025-06-22T12:00:00.000Z' },
          { reminderKey: 'P1D', scheduledFor: '2025-06-24T12:00:00.000Z' },
        ],
        previousDueAt: '2025-06-20T12:00:00.000Z',
        reason: 'due_date_changed',
        movedBy: 'system:scheduling',
        movedAt: '2025-06-17T13:00:00.000Z',
      },
    };

    it('replaces the pending reminders with the new occurrences, and a stale timer of the old plan fires nothing', () => {
      spec.given([scheduled, p3dDue]).when(move('2025-06-25T12:00:00Z')).then([movedEvent]);
      spec.given([scheduled, p3dDue, movedEvent]).when(fire({ kind: 'reminder', reminderKey: 'P1D', scheduledFor: '2025-06-19T12:00:00.000Z' }, '2025-06-19T12:00:00Z')).then([]);
      spec.given([scheduled, p3dDue, movedEvent]).when(fire({ kind: 'due', dueAt: '2025-06-20T12:00:00.000Z' }, '2025-06-20T12:00:00Z')).then([]);
    });

    it('keeps only the occurrences still ahead of the move, and a move to the same date is nothing to do', () => {
      const late = move('2025-06-20T12:00:00Z', '2025-06-19T13:00:00.000Z');
      spec.given([scheduled, p3dDue]).when(late).then([]);
      const sooner = move('2025-06-19T18:00:00Z', '2025-06-18T00:00:00.000Z');
      const [event] = taskScheduleDecider.decide(sooner, [scheduled, p3dDue].reduce(evolveTaskSchedule, initialTaskScheduleState()));
      expect(event.type === 'TaskScheduleMoved' && event.data.reminders).toEqual([{ reminderKey: 'P1D', scheduledFor: '2025-06-18T18:00:00.000Z' }]);
    });

    it('ends the schedule when the due date is removed, and schedules a task that had none', () => {
      spec.given([scheduled]).when(move(null, NOW_ISO)).then([ended('due_date_removed')]);
      spec
        .given([])
        .when({ ...move('2025-06-20T12:00:00Z', NOW_ISO), data: { ...move('2025-06-20T12:00:00Z', NOW_ISO).data, plannedFrom: NOW_ISO } })
        .then([{ ...scheduled, data: { ...scheduled.data, scheduledAt: NOW_ISO } }]);
    });
  });

  describe('when the policy changes', () => {
    const replan = (policy: Partial<ReminderPolicy>): ReplanTaskSchedule => ({
      type: 'ReplanTaskSchedule',
      data: { ...facts(policy, '2025-06-18T00:00:00.000Z'), taskId: TASK },
      metadata: at('2025-06-18T00:00:00.000Z'),
    });

    it('replans the pending reminders, never repeating a fired occurrence; the same plan is nothing to do', () => {
      spec
        .given([scheduled, p3dDue])
        .when(replan({ offsets: ['P3D', 'PT2H'] }))
        .then([
          {
            type: 'TaskScheduleMoved',
            data: {
              tenantId: TENANT,
              taskId: TASK,
              dueAt: '2025-06-20T12:00:00.000Z',
              overdueAt: '2025-06-21T12:00:00.000Z',
              reminders: [{ reminderKey: 'PT2H', scheduledFor: '2025-06-20T10:00:00.000Z' }],
              previousDueAt: '2025-06-20T12:00:00.000Z',
              reason: 'policy_changed',
              movedBy: 'system:scheduling',
              movedAt: '2025-06-18T00:00:00.000Z',
            },
          },
        ]);
      spec.given([scheduled, p3dDue]).when(replan({})).then([]);
    });
  });

  describe('at the due and overdue moments', () => {
    const due: TaskDue = { type: 'TaskDue', data: { tenantId: TENANT, taskId: TASK, dueAt: '2025-06-20T12:00:00.000Z', firedAt: '2025-06-20T12:00:00.000Z' } };
    const overdue: TaskOverdue = { type: 'TaskOverdue', data: { tenantId: TENANT, taskId: TASK, dueAt: '2025-06-20T12:00:00.000Z', firedAt: '2025-06-21T12:00:01.000Z' } };
    const dueTimer: Timer = { kind: 'due', dueAt: '2025-06-20T12:00:00.000Z' };
    const overdueTimer: Timer = { kind: 'overdue', dueAt: '2025-06-20T12:00:00.000Z' };

    it('fires TaskDue and TaskOverdue once each, not before their time', () => {
      spec.given([scheduled]).when(fire(dueTimer, '2025-06-20T11:59:59Z')).then([]);
      spec.given([scheduled]).when(fire(dueTimer, '2025-06-20T12:00:00Z')).then([due]);
      spec.given([scheduled, due]).when(fire(dueTimer, '2025-06-20T12:00:01Z')).then([]);
      spec.given([scheduled, due]).when(fire(overdueTimer, '2025-06-21T11:00:00Z')).then([]);
      spec.given([scheduled, due]).when(fire(overdueTimer, '2025-06-21T12:00:01Z')).then([overdue]);
      spec.given([scheduled, due, overdue]).when(fire(overdueTimer, '2025-06-21T12:00:02Z')).then([]);
    });

    it('fires nothing once the task is completed or archived', () => {
      spec.given([scheduled, ended('completed')]).when(fire(overdueTimer, '2025-06-21T12:00:01Z')).then([]);
      spec.given([scheduled, ended('archived')]).when(fire(p3d, '2025-06-17T12:00:01Z')).then([]);
      spec.given([scheduled, ended('completed')]).when({ type: 'EndTaskSchedule', data: { taskId: TASK, reason: 'archived' }, metadata: meta() }).then([]);
      spec.given([scheduled, ended('completed')]).when(move('2025-06-30T12:00:00Z')).then([]);
    });

    it('lists what is pending in firing order, and nothing once ended', () => {
      const state = (events: TaskScheduleEvent[]) => events.reduce(evolveTaskSchedule, initialTaskScheduleState());
      expect(pendingTimers(state([scheduled, p3dDue])).map((p) => [p.timer.kind, p.firesAt])).toEqual([
        ['reminder', '2025-06-19T12:00:00.000Z'],
        ['due', '2025-06-20T12:00:00.000Z'],
        ['overdue', '2025-06-21T12:00:00.000Z'],
      ]);
      expect(pendingTimers(state([scheduled, due, overdue]))).toHaveLength(2);
      expect(pendingTimers(state([scheduled, ended('completed')]))).toEqual([]);
    });
  });
});
