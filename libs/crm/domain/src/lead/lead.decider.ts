import { defineDecider, assertNever, DomainError, Violations } from '@projectflo/platform/core';
import { TextLimits } from '../shared/text-limits';
import type { LeadCommand } from './lead.commands';
import type { UserLookup } from '../organization/organization.decider';
import {
  CommunicationDirections,
  CommunicationStatuses,
  CommunicationTypes,
  LeadTemperatures,
  type LeadDetails,
  type LeadEvent,
} from './lead.events';

export type LeadState =
  | { readonly lifecycle: 'none' }
  | (LeadDetails & {
      readonly lifecycle: 'open' | 'archived';
      readonly leadId: string;
      readonly contactId: string;
      readonly statusId: string;
      readonly assigneeId: string | null;
      readonly followUpDate: string | null;
      readonly noteIds: readonly string[];
      readonly communicationIds: readonly string[];
      /** The latest completed communication (seed 002's last engagement date). */
      readonly lastEngagementAt: string | null;
    });

type Existing = Exclude<LeadState, { lifecycle: 'none' }>;

export const leadDecider = defineDecider<LeadState, LeadCommand, LeadEvent>({
  aggregate: 'lead',
  schemaVersions: { LeadCaptured: 1, LeadDetailsUpdated: 1, LeadFollowUpScheduled: 1, LeadStatusChanged: 1, LeadAssigned: 1, LeadNoteAdded: 1, CommunicationLogged: 1, LeadArchived: 1 },
  initialState: () => ({ lifecycle: 'none' }),
  evolve,
  decide,
});

function evolve(state: LeadState, event: LeadEvent): LeadState {
  if (event.type === 'LeadCaptured') {
    const d = event.data;
    return {
      lifecycle: 'open',
      leadId: d.leadId,
      contactId: d.contactId,
      statusId: d.statusId,
      eventDate: d.eventDate,
      venue: d.venue,
      source: d.source,
      sourceDetails: d.sourceDetails,
      campaignId: d.campaignId,
      expectedCloseDate: d.expectedCloseDate,
      temperature: d.temperature,
      followUpDate: d.followUpDate,
      assigneeId: null,
      noteIds: [],
      communicationIds: [],
      lastEngagementAt: null,
    };
  }
  if (state.lifecycle === 'none') return state;
  switch (event.type) {
    case 'LeadDetailsUpdated':
      return { ...state, ...event.data.changes };
    case 'LeadFollowUpScheduled':
      return { ...state, followUpDate: event.data.followUpDate };
    case 'LeadStatusChanged':
      return { ...state, statusId: event.data.toStatusId };
    case 'LeadAssigned':
      return { ...state, assigneeId: event.data.assigneeId };
    case 'LeadNoteAdded':
      return { ...state, noteIds: [...state.noteIds, event.data.noteId] };
    case 'CommunicationLogged': {
      const { communicationId, status, occurredAt } = event.data;
      const engaged =
        status === 'Completed' && (state.lastEngagementAt === null || occurredAt > state.lastEngagementAt);
      return {
        ...state,
        communicationIds: [...state.communicationIds, communicationId],
        lastEngagementAt: engaged ? occurredAt : state.lastEngagementAt,
      };
    }
    case 'LeadArchived':
      return { ...state, lifecycle: 'archived' };
    default:
      return assertNever(event, 'lead event');
  }
}

function decide(command: LeadCommand, state: LeadState): LeadEvent[] {
  const { actorId } = command.metadata;
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'CaptureLead': {
      const d = command.data;
      const v = new Violations();
      const leadId = v.uuid('leadId', d.leadId);
      const contactId = v.uuid('contactId', d.contact?.contactId);
      const statusId = v.uuid('statusId', d.status?.statusId);
      const eventDate = v.optionalDate('eventDate', d.eventDate);
      const venue = v.optionalText('venue', d.venue, { max: TextLimits.venue });
      const source = v.text('source', d.source, { max: TextLimits.source, required: true });
      const sourceDetails = v.text('sourceDetails', d.sourceDetails, { max: TextLimits.sourceDetails });
      const campaignId = v.optionalUuid('campaignId', d.campaignId);
      const followUpDate = v.optionalDate('followUpDate', d.followUpDate);
      const expectedCloseDate = v.optionalDate('expectedCloseDate', d.expectedCloseDate);
      const temperature = d.temperature === undefined ? 'Cold' : v.oneOf('temperature', d.temperature, LeadTemperatures);
      const notes = v.optionalText('notes', d.notes, { max: TextLimits.noteBody });
      const assigneeId = d.assignee === undefined ? undefined : v.uuid('assigneeId', d.assignee.userId);
      v.throwIfAny();
      if (state.lifecycle !== 'none') throw DomainError.alreadyExists('lead', leadId);
      if (!d.contact.exists) throw DomainError.notFound('contact', contactId);
      if (d.contact.archived) throw DomainError.precondition(`contact ${contactId} is archived`, { contactId });
      assertEnterable(d.status.exists, d.status.retired, statusId);
      if (d.assignee !== undefined && assigneeId !== undefined) assertAssignable(d.assignee, assigneeId);
      const captured: LeadEvent[] = [
        {
          type: 'LeadCaptured',
          data: {
            leadId,
            contactId,
            statusId,
            eventDate,
            venue,
            source,
            sourceDetails,
            campaignId,
            followUpDate,
            expectedCloseDate,
            temperature,
            notes,
            assigneeId: assigneeId ?? null,
            capturedAt: at,
            capturedBy: actorId,
          },
        },
      ];
      if (assigneeId === undefined) return captured;
      return [
        ...captured,
        {
          type: 'LeadAssigned',
          data: { leadId, assigneeId, previousAssigneeId: null, reason: 'assigned at capture', assignedAt: at, assignedBy: actorId },
        },
      ];
    }
    case 'UpdateLeadDetails': {
      const lead = open(state, command.data.leadId);
      const d = command.data;
      const v = new Violations();
      const next: Partial<Record<keyof LeadDetails, unknown>> = {};
      if (d.eventDate !== undefined) next.eventDate = v.optionalDate('eventDate', d.eventDate);
      if (d.venue !== undefined) next.venue = v.optionalText('venue', d.venue, { max: TextLimits.venue });
      if (d.source !== undefined) next.source = v.text('source', d.source, { max: TextLimits.source, required: true });
      if (d.sourceDetails !== undefined) next.sourceDetails = v.text('sourceDetails', d.sourceDetails, { max: TextLimits.sourceDetails });
      if (d.campaignId !== undefined) next.campaignId = v.optionalUuid('campaignId', d.campaignId);
      if (d.expectedCloseDate !== undefined) {
        next.expectedCloseDate = v.optionalDate('expectedCloseDate', d.expectedCloseDate);
      }
      if (d.temperature !== undefined) next.temperature = v.oneOf('temperature', d.temperature, LeadTemperatures);
      v.throwIfAny();
      const changes = Object.fromEntries(
        Object.entries(next).filter(([key, value]) => lead[key as keyof LeadDetails] !== value),
      ) as Partial<LeadDetails>;
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'LeadDetailsUpdated', data: { leadId: lead.leadId, changes, updatedAt: at, updatedBy: actorId } }];
    }
    case 'ScheduleLeadFollowUp': {
      const lead = open(state, command.data.leadId);
      const v = new Violations();
      const followUpDate = v.optionalDate('followUpDate', command.data.followUpDate);
      v.throwIfAny();
      if (followUpDate === lead.followUpDate) return [];
      return [
        {
          type: 'LeadFollowUpScheduled',
          data: {
            leadId: lead.leadId,
            previousFollowUpDate: lead.followUpDate,
            followUpDate,
            scheduledAt: at,
            scheduledBy: actorId,
          },
        },
      ];
    }
    case 'ChangeLeadStatus': {
      const lead = open(state, command.data.leadId);
      const { target } = command.data;
      const v = new Violations();
      const toStatusId = v.uuid('toStatusId', target?.statusId);
      const reason = v.text('reason', command.data.reason, { max: TextLimits.reason });
      v.throwIfAny();
      // A change to the status the lead is in is no transition (and would fire its task automation
      // again): FAILED_PRECONDITION, as common.proto states. A retry of the same request id never
      // gets here; it returns the first result.
      if (toStatusId === lead.statusId) {
        throw DomainError.precondition(`lead ${lead.leadId} is already in status ${toStatusId}`, { leadId: lead.leadId, statusId: toStatusId });
      }
      assertEnterable(target.exists, target.retired, toStatusId);
      return [
        {
          type: 'LeadStatusChanged',
          data: { leadId: lead.leadId, fromStatusId: lead.statusId, toStatusId, reason, changedAt: at, changedBy: actorId },
        },
      ];
    }
    case 'AssignLead': {
      const lead = open(state, command.data.leadId);
      const { assignee } = command.data;
      const v = new Violations();
      const assigneeId = v.uuid('assigneeId', assignee?.userId);
      const reason = v.text('reason', command.data.reason, { max: TextLimits.reason });
      v.throwIfAny();
      if (assigneeId === lead.assigneeId) return [];
      assertAssignable(assignee, assigneeId);
      return [
        {
          type: 'LeadAssigned',
          data: {
            leadId: lead.leadId,
            assigneeId,
            previousAssigneeId: lead.assigneeId,
            reason,
            assignedAt: at,
            assignedBy: actorId,
          },
        },
      ];
    }
    case 'AddLeadNote': {
      const lead = open(state, command.data.leadId);
      const d = command.data;
      const v = new Violations();
      const noteId = v.uuid('noteId', d.noteId);
      const body = v.text('body', d.body, { max: TextLimits.noteBody, required: true });
      const mentions = v.uuidList('mentions', d.mentions, TextLimits.mentions);
      const isPrivate = d.private === undefined ? false : v.boolean('private', d.private);
      v.throwIfAny();
      if (lead.noteIds.includes(noteId)) throw DomainError.alreadyExists('note', noteId);
      return [
        {
          type: 'LeadNoteAdded',
          data: { leadId: lead.leadId, noteId, body, private: isPrivate, mentions, addedAt: at, addedBy: actorId },
        },
      ];
    }
    case 'LogCommunication': {
      const lead = open(state, command.data.leadId);
      const d = command.data;
      const v = new Violations();
      const communicationId = v.uuid('communicationId', d.communicationId);
      const type = v.oneOf('type', d.type, CommunicationTypes);
      const direction = v.oneOf('direction', d.direction, CommunicationDirections);
      const subject = v.text('subject', d.subject, { max: TextLimits.subject });
      const content = v.text('content', d.content, { max: TextLimits.communicationContent });
      const status = d.status === undefined ? 'Completed' : v.oneOf('status', d.status, CommunicationStatuses);
      const occurredAt = v.optionalInstant('occurredAt', d.occurredAt) ?? at;
      v.throwIfAny();
      if (lead.communicationIds.includes(communicationId)) throw DomainError.alreadyExists('communication', communicationId);
      return [
        {
          type: 'CommunicationLogged',
          data: {
            leadId: lead.leadId,
            communicationId,
            type,
            direction,
            subject,
            content,
            status,
            occurredAt,
            loggedAt: at,
            loggedBy: actorId,
          },
        },
      ];
    }
    case 'ArchiveLead': {
      const lead = existing(state, command.data.leadId);
      const v = new Violations();
      const reason = v.text('reason', command.data.reason, { max: TextLimits.reason });
      v.throwIfAny();
      if (lead.lifecycle === 'archived') {
        throw DomainError.precondition(`lead ${lead.leadId} is already archived`, { leadId: lead.leadId });
      }
      return [{ type: 'LeadArchived', data: { leadId: lead.leadId, reason, archivedAt: at, archivedBy: actorId } }];
    }
    default:
      return assertNever(command, 'lead command');
  }
}

/** An unknown status is NOT_FOUND; a retired one keeps its history but can no longer be entered. */
function assertEnterable(exists: boolean, retired: boolean, statusId: string): void {
  if (!exists) throw DomainError.notFound('lead status', statusId);
  if (retired) throw DomainError.precondition(`lead status ${statusId} is retired and can no longer be entered`, { statusId });
}

function existing(state: LeadState, leadId: string): Existing {
  if (state.lifecycle === 'none') throw DomainError.notFound('lead', leadId);
  return state;
}

/** Archived leads are read-only. */
function open(state: LeadState, leadId: string): Existing {
  const lead = existing(state, leadId);
  if (lead.lifecycle === 'archived') throw DomainError.precondition(`lead ${leadId} is archived`, { leadId });
  return lead;
}

function assertAssignable(assignee: UserLookup, userId: string): void {
  if (!assignee.exists) throw DomainError.notFound('user', userId);
  if (!assignee.active) throw DomainError.precondition(`user ${userId} is deactivated`, { userId });
}
