import { LeadEventType, type LeadEvent } from '@projectflo/crm/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import { rowProjection } from '@projectflo/platform/persistence';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CommunicationSchema,
  LeadAssignmentSchema,
  LeadNoteSchema,
  LeadSchema,
  LeadStatusChangeSchema,
} from './lead.entities';
import { evolveLeadRow } from './lead.view';

/**
 * Leads and their histories (status changes, assignments, notes, communications). Redelivery is
 * absorbed by the consumer inbox and by the lead row's version; an event for a lead this read
 * model never saw captured (e.g. a topic whose head was deleted) is skipped rather than blocking
 * the partition.
 */
export const leadProjection = rowProjection({
  name: 'crm-leads',
  handles: Object.values(LeadEventType),
  entity: LeadSchema,
  table: 'leads',
  key: (event) => ({ leadId: (event.data as LeadEvent['data']).leadId }),
  fold: evolveLeadRow,
  alongside: { tables: ['lead_status_history', 'lead_assignments', 'lead_notes', 'communications'], apply: applyToHistory },
});

/** The lead's histories: one row per status change, assignment, note and communication. */
function applyToHistory(em: EntityManager, recorded: RecordedEvent): void {
  const event = { type: recorded.type, data: recorded.data } as LeadEvent;
  const tenantId = recorded.metadata.tenantId;
  const leadId = event.data.leadId;
  const common = { tenantId, leadId, streamPosition: recorded.streamPosition };
  switch (event.type) {
    case 'LeadCaptured':
      em.create(LeadStatusChangeSchema, {
        ...common,
        eventId: recorded.eventId,
        fromStatusId: null,
        toStatusId: event.data.statusId,
        reason: '',
        changedBy: event.data.capturedBy,
        changedAt: new Date(event.data.capturedAt),
      });
      return;
    case 'LeadStatusChanged':
      em.create(LeadStatusChangeSchema, {
        ...common,
        eventId: recorded.eventId,
        fromStatusId: event.data.fromStatusId,
        toStatusId: event.data.toStatusId,
        reason: event.data.reason,
        changedBy: event.data.changedBy,
        changedAt: new Date(event.data.changedAt),
      });
      return;
    case 'LeadAssigned':
      em.create(LeadAssignmentSchema, {
        ...common,
        eventId: recorded.eventId,
        previousAssigneeId: event.data.previousAssigneeId,
        assigneeId: event.data.assigneeId,
        reason: event.data.reason,
        assignedBy: event.data.assignedBy,
        assignedAt: new Date(event.data.assignedAt),
      });
      return;
    case 'LeadNoteAdded':
      em.create(LeadNoteSchema, {
        ...common,
        noteId: event.data.noteId,
        body: event.data.body,
        private: event.data.private,
        mentions: [...event.data.mentions],
        authorId: event.data.addedBy,
        createdAt: new Date(event.data.addedAt),
      });
      return;
    case 'CommunicationLogged':
      em.create(CommunicationSchema, {
        ...common,
        communicationId: event.data.communicationId,
        type: event.data.type,
        direction: event.data.direction,
        subject: event.data.subject,
        content: event.data.content,
        status: event.data.status,
        occurredAt: new Date(event.data.occurredAt),
        loggedBy: event.data.loggedBy,
        loggedAt: new Date(event.data.loggedAt),
      });
      return;
    default:
      return;
  }
}
