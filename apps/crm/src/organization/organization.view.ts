import type { OrganizationEvent } from '@projectflo/crm/domain';
import type { StreamEvent, ViewFold } from '@projectflo/platform/core';
import type { OrganizationRow, UserRow } from './organization.entities';

/**
 * The organization row as a pure fold of the organization stream: the projection stores it and
 * RegisterOrganization replies with it. Its users are rows of their own (evolveUserRow).
 */
export const evolveOrganizationRow: ViewFold<OrganizationRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as OrganizationEvent;
  const version = recorded.streamPosition;
  if (event.type === 'OrganizationRegistered') {
    const d = event.data;
    return row ?? { tenantId: recorded.metadata.tenantId, name: d.name, timezone: d.timezone, registeredAt: new Date(d.registeredAt), version };
  }
  if (!row) return undefined;
  if (event.type === 'OrganizationTimezoneChanged') return { ...row, timezone: event.data.timezone, version };
  return { ...row, version };
};

/**
 * A user's row as a pure fold of the organization stream's events about that user: the
 * projection stores it beside the organization row and AddUser replies with it (userView).
 */
export const evolveUserRow: ViewFold<UserRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as OrganizationEvent;
  switch (event.type) {
    case 'UserAdded': {
      const d = event.data;
      return row ?? { userId: d.userId, tenantId: recorded.metadata.tenantId, name: d.name, email: d.email, timezone: d.timezone, role: d.role, active: true, addedAt: new Date(d.addedAt) };
    }
    case 'UserTimezoneChanged':
      return row && { ...row, timezone: event.data.timezone };
    case 'UserDeactivated':
      return row && { ...row, active: false };
    case 'UserReactivated':
      return row && { ...row, active: true };
    case 'UserRoleChanged':
      return row && { ...row, role: event.data.role };
    default:
      return row;
  }
};

/** The user an organization event is about; undefined for the organization's own events. */
export function userIdOf(recorded: Pick<StreamEvent, 'data'>): string | undefined {
  const { userId } = recorded.data as { userId?: unknown };
  return typeof userId === 'string' ? userId : undefined;
}

/** evolveUserRow over a whole organization stream, for one user (a command's view). */
export function userView(userId: string): ViewFold<UserRow> {
  return (row, recorded) => (userIdOf(recorded) === userId ? evolveUserRow(row, recorded) : row);
}
