import type { ContactEvent } from '@projectflo/crm/domain';
import type { ViewFold } from '@projectflo/platform/core';
import type { ContactRow } from './contact.entities';

/** The contact row as a pure fold of its events: the projection stores it, commands reply with it. */
export const evolveContactRow: ViewFold<ContactRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as ContactEvent;
  const at = new Date(recorded.metadata.occurredAt);
  const version = recorded.streamPosition;
  if (event.type === 'ContactCreated') {
    const d = event.data;
    return {
      contactId: d.contactId,
      tenantId: recorded.metadata.tenantId,
      type: d.type,
      firstName: d.firstName,
      lastName: d.lastName,
      email: d.email,
      phone: d.phone,
      company: d.companyName,
      archived: false,
      createdAt: new Date(d.createdAt),
      updatedAt: at,
      version,
    };
  }
  if (!row) return undefined;
  const base = { ...row, updatedAt: at, version };
  switch (event.type) {
    case 'ContactUpdated': {
      const { companyName, ...changes } = event.data.changes;
      return { ...base, ...changes, ...(companyName !== undefined ? { company: companyName } : {}) };
    }
    case 'ContactEmailChanged':
      return { ...base, email: event.data.email };
    case 'ContactArchived':
      return { ...base, archived: true };
    case 'ContactRestored':
      return { ...base, archived: false };
    default:
      return base;
  }
};
