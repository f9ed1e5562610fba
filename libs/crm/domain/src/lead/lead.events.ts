import type { DomainEvent } from '@projectflo/platform/core';

export const LeadTemperatures = ['Cold', 'Warm', 'Hot'] as const;
export type LeadTemperature = (typeof LeadTemperatures)[number];

export const CommunicationTypes = ['Email', 'Call', 'Meeting', 'Sms', 'Other'] as const;
export type CommunicationType = (typeof CommunicationTypes)[number];

export const CommunicationDirections = ['Inbound', 'Outbound'] as const;
export type CommunicationDirection = (typeof CommunicationDirections)[number];

export const CommunicationStatuses = ['Scheduled', 'Completed', 'Failed', 'Cancelled'] as const;
export type CommunicationStatus = (typeof CommunicationStatuses)[number];

export const LeadEventType = {
  LeadCaptured: 'LeadCaptured',
  LeadDetailsUpdated: 'LeadDetailsUpdated',
  LeadFollowUpScheduled: 'LeadFollowUpScheduled',
  LeadStatusChanged: 'LeadStatusChanged',
  LeadAssigned: 'LeadAssigned',
  LeadNoteAdded: 'LeadNoteAdded',
  CommunicationLogged: 'CommunicationLogged',
  LeadArchived: 'LeadArchived',
} as const;

/** The descriptive fields of a lead (an inquiry) that can be corrected after capture. */
export interface LeadDetails {
  /** Date of the client's event (a wedding, a shoot), YYYY-MM-DD; null while unknown. */
  readonly eventDate: string | null;
  readonly venue: string | null;
  /** Where the inquiry came from, e.g. "website", "referral". */
  readonly source: string;
  /** '' when none. */
  readonly sourceDetails: string;
  readonly campaignId: string | null;
  /** YYYY-MM-DD. */
  readonly expectedCloseDate: string | null;
  readonly temperature: LeadTemperature;
}

export type LeadCaptured = DomainEvent<
  'LeadCaptured',
  LeadDetails & {
    readonly leadId: string;
    readonly contactId: string;
    /** The pipeline status the lead starts in. */
    readonly statusId: string;
    /** YYYY-MM-DD. */
    readonly followUpDate: string | null;
    readonly notes: string | null;
    /**
     * Who the lead is assigned to as it is captured (a LeadAssigned follows in the same append for
     * the assignment history). Lets a consumer that reacts to the capture alone, such as the
     * task-engine expanding the first status's templates, see the assignee. Absent in events
     * recorded before it existed.
     */
    readonly assigneeId?: string | null;
    readonly capturedAt: string;
    readonly capturedBy: string;
  }
>;

/** Only the fields that changed are present. */
export type LeadDetailsUpdated = DomainEvent<
  'LeadDetailsUpdated',
  { readonly leadId: string; readonly changes: Partial<LeadDetails>; readonly updatedAt: string; readonly updatedBy: string }
>;

/** A follow-up due date set, moved or (null) cleared. */
export type LeadFollowUpScheduled = DomainEvent<
  'LeadFollowUpScheduled',
  {
    readonly leadId: string;
    readonly previousFollowUpDate: string | null;
    readonly followUpDate: string | null;
    readonly scheduledAt: string;
    readonly scheduledBy: string;
  }
>;

/** The trigger of lead-status task automation. */
export type LeadStatusChanged = DomainEvent<
  'LeadStatusChanged',
  {
    readonly leadId: string;
    readonly fromStatusId: string;
    readonly toStatusId: string;
    readonly reason: string;
    readonly changedAt: string;
    readonly changedBy: string;
  }
>;

export type LeadAssigned = DomainEvent<
  'LeadAssigned',
  {
    readonly leadId: string;
    readonly assigneeId: string;
    readonly previousAssigneeId: string | null;
    readonly reason: string;
    readonly assignedAt: string;
    readonly assignedBy: string;
  }
>;

export type LeadNoteAdded = DomainEvent<
  'LeadNoteAdded',
  {
    readonly leadId: string;
    readonly noteId: string;
    readonly body: string;
    /** Visible only to its author. */
    readonly private: boolean;
    /** User ids mentioned in the note. */
    readonly mentions: readonly string[];
    readonly addedAt: string;
    readonly addedBy: string;
  }
>;

export type CommunicationLogged = DomainEvent<
  'CommunicationLogged',
  {
    readonly leadId: string;
    readonly communicationId: string;
    readonly type: CommunicationType;
    readonly direction: CommunicationDirection;
    readonly subject: string;
    readonly content: string;
    readonly status: CommunicationStatus;
    /** When it happened or is scheduled to (ISO-8601 instant); the logging time when not given. */
    readonly occurredAt: string;
    readonly loggedAt: string;
    readonly loggedBy: string;
  }
>;

export type LeadArchived = DomainEvent<
  'LeadArchived',
  { readonly leadId: string; readonly reason: string; readonly archivedAt: string; readonly archivedBy: string }
>;

export type LeadEvent =
  | LeadCaptured
  | LeadDetailsUpdated
  | LeadFollowUpScheduled
  | LeadStatusChanged
  | LeadAssigned
  | LeadNoteAdded
  | CommunicationLogged
  | LeadArchived;
