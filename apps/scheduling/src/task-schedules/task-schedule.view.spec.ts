import type { StreamEvent } from '@projectflo/platform/core';
import { foldView } from '@projectflo/platform/core';
import { evolveTaskScheduleRow } from './task-schedule.view';

const TENANT = 'tenant-a';
let position = 0;
const event = (type: string, data: Record<string, unknown>): StreamEvent => ({
  eventId: `e-${++position}`,
  type,
  data: { tenantId: TENANT, taskId: 'task-1', ...data },
  metadata: { tenantId: TENANT, actorId: 'system:scheduling', actorKind: 'service', requestId: 'r', correlationId: 'r', causationId: 'r', occurredAt: `2025-06-1${position}T00:00:00.000Z` },
  streamPosition: position,
});

describe('task schedule row', () => {
  it('shows what is pending by next firing, what fired, and nothing pending once ended', () => {
    position = 0;
    const scheduled = event('TaskScheduled', {
      templateKey: null,
      dueAt: '2025-06-20T12:00:00.000Z',
      overdueAt: '2025-06-21T12:00:00.000Z',
      reminders: [
        { reminderKey: 'P3D', scheduledFor: '2025-06-17T12:00:00.000Z' },
        { reminderKey: 'P1D', scheduledFor: '2025-06-19T12:00:00.000Z' },
      ],
      scheduledBy: 'system:scheduling',
      scheduledAt: '2025-06-11T00:00:00.000Z',
    });
    const fired = event('ReminderDue', { reminderKey: 'P3D', scheduledFor: '2025-06-17T12:00:00.000Z', dueAt: '2025-06-20T12:00:00.000Z', firedAt: '2025-06-17T12:00:00.300Z', templateKey: null });
    const row = foldView(evolveTaskScheduleRow, [scheduled, fired]);
    expect(row).toMatchObject({
      taskId: 'task-1',
      tenantId: TENANT,
      status: 'open',
      nextFireAt: new Date('2025-06-19T12:00:00.000Z'),
      firedReminders: [{ reminderKey: 'P3D', scheduledFor: '2025-06-17T12:00:00.000Z', firedAt: '2025-06-17T12:00:00.300Z' }],
      version: 2,
    });
    expect(row?.pending.map((p) => p.timer.kind)).toEqual(['reminder', 'due', 'overdue']);
    const ended = foldView(evolveTaskScheduleRow, [scheduled, fired, event('TaskScheduleEnded', { reason: 'completed', endedBy: 'system:scheduling', endedAt: '2025-06-18T00:00:00.000Z' })]);
    expect([ended?.status, ended?.pending, ended?.nextFireAt, ended?.version]).toEqual(['ended', [], null, 3]);
  });

  it('has no row before the schedule began', () => {
    position = 0;
    expect(evolveTaskScheduleRow(undefined, event('TaskDue', { dueAt: '2025-06-20T12:00:00.000Z', firedAt: '2025-06-20T12:00:00.000Z' }))).toBeUndefined();
  });
});
