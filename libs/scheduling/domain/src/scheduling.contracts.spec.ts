import { schedulingEventContractsV1, SCHEDULING_TOPIC_CONTRACTS_V1 } from '@projectflo/contracts';
import type { Command, Decider, DomainEvent } from '@projectflo/platform/core';
import type { z } from 'zod';
import { contributorCalendarDecider, contributorCalendarId } from './contributor-calendar/contributor-calendar.decider';
import type { ContributorCalendarEvent } from './contributor-calendar/contributor-calendar.events';
import { projectAssignmentEntryId, projectAssignmentPlanId, projectAssignmentsDecider } from './project-assignment/project-assignment.decider';
import type { ProjectAssignmentEvent } from './project-assignment/project-assignment.events';
import { DEFAULT_BUSINESS_CALENDAR } from './reminder-policy/firing-times';
import { REMINDER_POLICY_LIMITS, reminderPolicyDecider } from './reminder-policy/reminder-policy.decider';
import type { ReminderPolicyEvent } from './reminder-policy/reminder-policy.events';
import { meta } from './shared/command-metadata.fixtures';
import { SCHEDULING_TOPIC_MAP } from './streams';
import { taskScheduleDecider } from './task-schedule/task-schedule.decider';
import type { TaskScheduleEvent } from './task-schedule/task-schedule.events';

/*
 * The published contracts (libs/contracts/src/events/scheduling-*.v1.ts) against what scheduling's
 * deciders really emit: the same payload types (compile time), a contract on the aggregate's topic
 * for every event type, and histories at their largest parsing as they travel (JSON).
 */

type SchedulingEvent = TaskScheduleEvent | ReminderPolicyEvent | ContributorCalendarEvent | ProjectAssignmentEvent;
type Contracts = typeof schedulingEventContractsV1;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Drifted = {
  [Type in SchedulingEvent['type']]: Same<z.infer<Contracts[Type]['schema']>, Extract<SchedulingEvent, { type: Type }>['data']> extends true ? never : Type;
}[SchedulingEvent['type']];
type Unemitted = Exclude<keyof Contracts, SchedulingEvent['type']>;
const contractsMatchEvents: [Drifted | Unemitted] extends [never] ? true : Drifted | Unemitted = true;

function history<S, C extends Command, E extends DomainEvent>(decider: Decider<S, C, E>, commands: readonly C[]): E[] {
  const events: E[] = [];
  for (const command of commands) events.push(...decider.decide(command, events.reduce(decider.evolve, decider.initialState())));
  return events;
}

const at = (iso: string) => meta({ now: new Date(iso) });
const offsets = Array.from({ length: REMINDER_POLICY_LIMITS.offsets }, (_, i) => `P${i + 1}D`);
const policy = {
  offsets,
  templateOverrides: Array.from({ length: REMINDER_POLICY_LIMITS.templateOverrides }, (_, i) => ({ templateKey: `t${i}-${'k'.repeat(58)}`.slice(0, 64), offsets })),
  workingHours: { start: '08:00', end: '18:00' },
  outsideWorkingTime: 'NEXT_WORKING_TIME' as const,
  overdueAfter: 'PT0S',
};
const facts = { policy, calendar: DEFAULT_BUSINESS_CALENDAR, plannedFrom: '2025-06-01T00:00:00.000Z' };
const task = 't'.repeat(128);

/** A contributor calendar at its largest: longest ids and title, a double booking moved, then resolved by a cancellation. */
function contributorCalendarHistory(): ContributorCalendarEvent[] {
  const contributorId = 'c'.repeat(128);
  const target = { calendarId: contributorCalendarId('t'.repeat(128), contributorId), contributorId };
  const [a, b] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
  const timed = (start: string, end: string) => ({ kind: 'timed' as const, start, end });
  const entry = { entryType: 'project_assignment' as const, title: 'é'.repeat(200), timezone: 'America/Argentina/ComodRivadavia', projectId: 'p'.repeat(128), buildId: 'b'.repeat(128) };
  return history(contributorCalendarDecider, [
    { type: 'BookCalendarEntry', data: { ...target, ...entry, entryId: a, time: { kind: 'all_day', startDate: '2025-07-01', endDate: '2026-07-01' } }, metadata: at('2025-06-01T00:00:00Z') },
    { type: 'BookCalendarEntry', data: { ...target, ...entry, entryId: b, time: timed('2025-07-05T12:00:00Z', '2025-07-05T20:00:00Z') }, metadata: at('2025-06-01T00:00:00Z') },
    { type: 'MoveCalendarEntry', data: { ...target, entryId: b, time: timed('2025-07-06T12:00:00Z', '2025-07-06T20:00:00Z') }, metadata: at('2025-06-02T00:00:00Z') },
    { type: 'CancelCalendarEntry', data: { ...target, entryId: a, reason: 'é'.repeat(1000) }, metadata: at('2025-06-03T00:00:00Z') },
  ]);
}

/** A build's project assignments at their largest: every coverage line, longest ids and names, one place taken. */
function projectAssignmentHistory(): ProjectAssignmentEvent[] {
  const planId = projectAssignmentPlanId('t'.repeat(128), 'b'.repeat(128));
  const line = (i: number) => ({
    assignmentId: `${i}`.padEnd(128, 'a'),
    sceneId: 's'.repeat(128),
    sceneName: 'é'.repeat(200),
    operatorTypeId: 'o'.repeat(128),
    operatorTypeName: 'é'.repeat(200),
    quantity: 100,
    hours: '10.50',
  });
  const lines = Array.from({ length: 200 }, (_, i) => line(i));
  const contributorId = 'c'.repeat(128);
  return history(projectAssignmentsDecider, [
    {
      type: 'PlaceProjectAssignments',
      data: { planId, buildId: 'b'.repeat(128), buildVersion: 1, buildName: 'é'.repeat(200), projectId: 'p'.repeat(128), eventDate: '2025-07-05', assignments: lines },
      metadata: at('2025-06-01T00:00:00Z'),
    },
    {
      type: 'AssignProjectContributor',
      data: { planId, assignmentId: lines[0]!.assignmentId, contributorId, calendarEntryId: projectAssignmentEntryId(planId, lines[0]!.assignmentId, contributorId) },
      metadata: at('2025-06-02T00:00:00Z'),
    },
  ]);
}

describe('scheduling contracts', () => {
  it('match the deciders’ event types at compile time', () => {
    expect(contractsMatchEvents).toBe(true);
  });

  it('route each aggregate to its topic, and parse every event the deciders emit, at their largest', () => {
    expect(Object.values(SCHEDULING_TOPIC_MAP).sort()).toEqual(Object.keys(SCHEDULING_TOPIC_CONTRACTS_V1).sort());
    const events = [
      ...history(reminderPolicyDecider, [{ type: 'SetReminderPolicy', data: { policy }, metadata: at('2025-06-01T00:00:00Z') }]),
      ...history(taskScheduleDecider, [
        { type: 'ScheduleTask', data: { ...facts, taskId: task, templateKey: 'k'.repeat(64), dueAt: '2025-06-20T12:00:00Z' }, metadata: at('2025-06-01T00:00:00Z') },
        { type: 'FireTimer', data: { taskId: task, timer: { kind: 'reminder', reminderKey: 'P10D', scheduledFor: '2025-06-10T12:00:00.000Z' } }, metadata: at('2025-06-10T12:00:00Z') },
        { type: 'MoveTaskSchedule', data: { ...facts, taskId: task, templateKey: null, dueAt: '2025-06-21T12:00:00Z' }, metadata: at('2025-06-11T00:00:00Z') },
        { type: 'ReplanTaskSchedule', data: { ...facts, policy: { ...policy, offsets: ['PT1H'] }, taskId: task }, metadata: at('2025-06-12T00:00:00Z') },
        { type: 'FireTimer', data: { taskId: task, timer: { kind: 'due', dueAt: '2025-06-21T12:00:00.000Z' } }, metadata: at('2025-06-21T12:00:00Z') },
        { type: 'FireTimer', data: { taskId: task, timer: { kind: 'overdue', dueAt: '2025-06-21T12:00:00.000Z' } }, metadata: at('2025-06-21T12:00:01Z') },
        { type: 'EndTaskSchedule', data: { taskId: task, reason: 'completed' }, metadata: at('2025-06-22T00:00:00Z') },
      ]),
      ...contributorCalendarHistory(),
      ...projectAssignmentHistory(),
    ];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(schedulingEventContractsV1)));
    for (const event of events) {
      const contract = schedulingEventContractsV1[event.type];
      const parsed = contract.schema.safeParse(JSON.parse(JSON.stringify(event.data)));
      expect([event.type, parsed.success ? 'ok' : parsed.error.message]).toEqual([event.type, 'ok']);
    }
  });
});
