import type { OrganizationEvent } from '@projectflo/crm/domain';
import { foldView, type StreamEvent } from '@projectflo/platform/core';
import { evolveUserRow, userView } from './organization.view';

const TENANT = '00000000-0000-4000-8000-000000000001';
const [ANA, BEN] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1'] as const;
const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;
const added = (userId: string, name: string, minute: number): OrganizationEvent => ({
  type: 'UserAdded',
  data: { organizationId: TENANT, userId, name, email: `${name}@example.com`, timezone: 'Europe/Paris', role: 'Member', addedAt: at(minute), addedBy: 'owner' },
});

const events: OrganizationEvent[] = [
  { type: 'OrganizationRegistered', data: { organizationId: TENANT, name: 'Studio', timezone: 'Europe/Paris', registeredAt: at(0), registeredBy: 'owner' } },
  added(ANA, 'ana', 1),
  added(BEN, 'ben', 2),
  { type: 'UserTimezoneChanged', data: { organizationId: TENANT, userId: ANA, previousTimezone: 'Europe/Paris', timezone: 'America/New_York', changedAt: at(3), changedBy: 'owner' } },
  { type: 'UserDeactivated', data: { organizationId: TENANT, userId: BEN, reason: 'left', deactivatedAt: at(4), deactivatedBy: 'owner' } },
];
const stream: StreamEvent[] = events.map((event, index) => ({
  eventId: `e${index}`,
  type: event.type,
  data: event.data,
  streamPosition: index + 1,
  metadata: { tenantId: TENANT, actorId: 'owner', requestId: `r${index}`, correlationId: `r${index}`, causationId: `r${index}`, occurredAt: at(index) },
}));

describe("a user's row", () => {
  it('folds only the events about that user over the organization stream', () => {
    expect(foldView(userView(ANA), stream)).toEqual({
      userId: ANA,
      tenantId: TENANT,
      name: 'ana',
      email: 'ana@example.com',
      timezone: 'America/New_York',
      role: 'Member',
      active: true,
      addedAt: new Date(at(1)),
    });
    expect(foldView(userView(BEN), stream)).toMatchObject({ userId: BEN, timezone: 'Europe/Paris', active: false });
  });

  it('is what the projection stores: the same fold, one event at a time onto the stored row', () => {
    const stored = stream.filter((e) => (e.data as { userId?: string }).userId === ANA).reduce(evolveUserRow, undefined);
    expect(stored).toEqual(foldView(userView(ANA), stream));
  });

  it('does not exist before the user is added', () => {
    expect(foldView(userView(ANA), stream.slice(0, 1))).toBeUndefined();
    expect(evolveUserRow(undefined, stream[3]!)).toBeUndefined();
  });
});
