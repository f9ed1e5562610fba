import type { OrganizationEvent } from '@projectflo/crm/domain';
import type { ViewFold } from '@projectflo/platform/core';
import type { OrganizationRow } from './organization.entities';

/**
 * The organization row as a pure fold of the organization stream: the projection stores it and
 * RegisterOrganization replies with it. Its users are rows of their own (organization.projection).
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
