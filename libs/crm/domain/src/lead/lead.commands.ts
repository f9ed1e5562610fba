import type { Command } from '@projectflo/platform/core';
import type { ContactLookup } from '../contact/contact.decider';
import type { StatusLookup } from '../lead-pipeline/lead-pipeline.decider';
import type { UserLookup } from '../organization/organization.decider';
import type { CommunicationDirection, CommunicationStatus, CommunicationType, LeadTemperature } from './lead.events';

/*
 * Rules such as "a retired status can no longer be entered" depend on other aggregates (the
 * tenant's lead pipeline, the contact, the organization's users). The decider stays pure: the
 * command handler reads those streams and passes the facts it found in the command
 * (`contactLookup`, `statusLookup`, `userLookup` build them). A fact may be stale by the time the
 * lead's events are appended; that race is accepted — history keeps the status id either way.
 */

export type CaptureLead = Command<
  'CaptureLead',
  {
    readonly leadId: string;
    /** Looked up by id in the contact stream: `contactLookup(contactState, contactId)`. */
    readonly contact: ContactLookup;
    /**
     * The starting status, looked up in the tenant's pipeline: `statusLookup(pipeline, id)`; when
     * the request names none the handler passes `firstActiveStatusId(pipeline)`.
     */
    readonly status: StatusLookup;
    readonly eventDate?: string | null;
    readonly venue?: string | null;
    readonly source: string;
    readonly sourceDetails?: string;
    readonly campaignId?: string | null;
    readonly followUpDate?: string | null;
    readonly expectedCloseDate?: string | null;
    /** Cold when absent. */
    readonly temperature?: LeadTemperature;
    readonly notes?: string | null;
    /**
     * Assigns the lead as it is captured, in the same append (LeadCaptured then LeadAssigned), so
     * a capture never stands half-done; looked up like AssignLead's assignee.
     */
    readonly assignee?: UserLookup;
  }
>;

/** A partial correction: an absent (undefined) field is left alone; null or '' clears an optional one. */
export type UpdateLeadDetails = Command<
  'UpdateLeadDetails',
  {
    readonly leadId: string;
    readonly eventDate?: string | null;
    readonly venue?: string | null;
    readonly source?: string;
    readonly sourceDetails?: string;
    readonly campaignId?: string | null;
    readonly expectedCloseDate?: string | null;
    readonly temperature?: LeadTemperature;
  }
>;

/** Sets, moves or (null / '') clears the follow-up due date. */
export type ScheduleLeadFollowUp = Command<
  'ScheduleLeadFollowUp',
  { readonly leadId: string; readonly followUpDate: string | null }
>;

export type ChangeLeadStatus = Command<
  'ChangeLeadStatus',
  {
    readonly leadId: string;
    /** Looked up in the tenant's pipeline by the handler: `statusLookup(pipeline, statusId)`. */
    readonly target: StatusLookup;
    readonly reason?: string;
  }
>;

export type AssignLead = Command<
  'AssignLead',
  {
    readonly leadId: string;
    /** Looked up in the organization by the handler: `userLookup(organization, userId)`. */
    readonly assignee: UserLookup;
    readonly reason?: string;
  }
>;

export type AddLeadNote = Command<
  'AddLeadNote',
  {
    readonly leadId: string;
    readonly noteId: string;
    readonly body: string;
    readonly private?: boolean;
    readonly mentions?: readonly string[];
  }
>;

export type LogCommunication = Command<
  'LogCommunication',
  {
    readonly leadId: string;
    readonly communicationId: string;
    readonly type: CommunicationType;
    readonly direction: CommunicationDirection;
    readonly subject?: string;
    readonly content?: string;
    /** Completed when absent. */
    readonly status?: CommunicationStatus;
    /** ISO-8601 instant with offset; the command time when absent. */
    readonly occurredAt?: string | null;
  }
>;

export type ArchiveLead = Command<'ArchiveLead', { readonly leadId: string; readonly reason?: string }>;

export type LeadCommand =
  | CaptureLead
  | UpdateLeadDetails
  | ScheduleLeadFollowUp
  | ChangeLeadStatus
  | AssignLead
  | AddLeadNote
  | LogCommunication
  | ArchiveLead;
