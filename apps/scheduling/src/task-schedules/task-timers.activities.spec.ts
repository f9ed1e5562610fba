import { automationMetadata, type Clock } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { CommandExecutor } from '@projectflo/platform/service';
import { DEFAULT_BUSINESS_CALENDAR, DEFAULT_REMINDER_POLICY, SchedulingStreams, taskScheduleDecider } from '@projectflo/scheduling/domain';
import { createTaskTimerActivities } from './task-timers.activities';

// The activities against an in-memory event store and a clock the test sets: a timer that wakes
// before its time (by the activity's clock) is told how long to wait and appends nothing.

const TENANT = 'tenant-a';
const TASK = 'task-1';
const input = { tenantId: TENANT, taskId: TASK };
const P1D = { kind: 'reminder', reminderKey: 'P1D', scheduledFor: '2025-06-19T12:00:00.000Z' } as const;

async function scheduled() {
  let now = new Date('2025-06-14T10:00:00.000Z');
  const clock: Clock = { now: () => now };
  const executor = new CommandExecutor(new InMemoryEventStore({ clock }), clock);
  await executor.run(
    taskScheduleDecider,
    SchedulingStreams.taskSchedule(TASK),
    {
      type: 'ScheduleTask',
      data: { policy: DEFAULT_REMINDER_POLICY, calendar: DEFAULT_BUSINESS_CALENDAR, plannedFrom: now.toISOString(), taskId: TASK, templateKey: null, dueAt: '2025-06-20T12:00:00Z' },
    },
    { metadata: automationMetadata({ service: 'scheduling', tenantId: TENANT, requestId: 'schedule-1', now }) },
  );
  const activities = createTaskTimerActivities({ executor, clock });
  const events = async () => (await executor.store.readStream(SchedulingStreams.taskSchedule(TASK))).events.map((e) => e.type);
  return { activities, events, setNow: (iso: string) => (now = new Date(iso)) };
}

describe('task timer activities', () => {
  it('load what is pending, earliest first', async () => {
    const { activities } = await scheduled();
    const schedule = await activities.loadSchedule(input);
    expect([schedule.open, schedule.pending.map((p) => p.firesAt)]).toEqual([
      true,
      ['2025-06-17T12:00:00.000Z', '2025-06-19T12:00:00.000Z', '2025-06-20T12:00:00.000Z', '2025-06-21T12:00:00.000Z'],
    ]);
  });

  it('refuse a timer that woke early, saying how long is left, and fire it once at its time', async () => {
    const { activities, events, setNow } = await scheduled();
    setNow('2025-06-19T11:59:59.250Z');
    expect(await activities.fireTimer({ ...input, timer: P1D })).toEqual({ outcome: 'early', remainingMs: 750 });
    expect(await events()).toEqual(['TaskScheduled']);
    setNow('2025-06-19T12:00:00.000Z');
    const fired = await activities.fireTimer({ ...input, timer: P1D });
    expect([fired.outcome, fired.outcome !== 'early' && fired.schedule?.pending.length]).toEqual(['fired', 3]);
    expect(await activities.fireTimer({ ...input, timer: P1D })).toMatchObject({ outcome: 'stale' });
    expect(await events()).toEqual(['TaskScheduled', 'ReminderDue']);
  });

  it('fire nothing for another tenant’s task', async () => {
    const { activities, events, setNow } = await scheduled();
    setNow('2025-06-19T12:00:00.000Z');
    expect(await activities.fireTimer({ tenantId: 'tenant-b', taskId: TASK, timer: P1D })).toMatchObject({ outcome: 'stale' });
    expect(await events()).toEqual(['TaskScheduled']);
  });
});
