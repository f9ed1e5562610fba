import type { LeadEvent } from '@projectflo/crm/domain';
import type { ViewFold } from '@projectflo/platform/core';
import type { LeadRow } from './lead.entities';

/**
 * The lead row as a pure fold of the lead's events. The projection stores it and commands reply
 * with it (CommandExecutor.run's view), so a reply and the read model never disagree on a field.
 */
export const evolveLeadRow: ViewFold<LeadRow> = (row, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as LeadEvent;
  const at = new Date(recorded.metadata.occurredAt);
  const version = recorded.streamPosition;
  if (event.type === 'LeadCaptured') {
    const d = event.data;
    return {
      leadId: d.leadId,
      tenantId: recorded.metadata.tenantId,
      contactId: d.contactId,
      statusId: d.statusId,
      assigneeId: null,
      eventDate: d.eventDate,
      venue: d.venue,
      source: d.source,
      sourceDetails: d.sourceDetails,
      campaignId: d.campaignId,
      followUpDate: d.followUpDate,
      expectedCloseDate: d.expectedCloseDate,
      temperature: d.temperature,
      notes: d.notes,
      lastEngagementAt: null,
      archived: false,
      capturedAt: new Date(d.capturedAt),
      updatedAt: at,
      version,
    };
  }
  if (!row) return undefined;
  const base = { ...row, updatedAt: at, version };
  switch (event.type) {
    case 'LeadDetailsUpdated':
      return { ...base, ...event.data.changes };
    case 'LeadFollowUpScheduled':
      return { ...base, followUpDate: event.data.followUpDate };
    case 'LeadStatusChanged':
      return { ...base, statusId: event.data.toStatusId };
    case 'LeadAssigned':
      return { ...base, assigneeId: event.data.assigneeId };
    case 'LeadNoteAdded':
      return base;
    case 'CommunicationLogged': {
      const { status, occurredAt } = event.data;
      const occurred = new Date(occurredAt);
      const engaged = status === 'Completed' && (row.lastEngagementAt === null || occurred > row.lastEngagementAt);
      return { ...base, lastEngagementAt: engaged ? occurred : row.lastEngagementAt };
    }
    case 'LeadArchived':
      return { ...base, archived: true };
    default:
      return base;
  }
};
