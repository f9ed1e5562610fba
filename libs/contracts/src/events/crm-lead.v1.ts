import { z } from 'zod';
import { actor, calendarDate, instant, list, requiredText, text, uuid } from './payload-fields';

/*
 * Versioned payload schemas of the lead events published on `crm.lead.v1` (message key: the lead
 * id; type, schema version and tenant travel in the CloudEvents headers). Consumers in other
 * bounded contexts (the task-engine's lead automation) validate against these without importing
 * crm's domain; crm's crm.contracts.spec.ts fails the typecheck if its events drift from them.
 * Rules for change: adding an optional field keeps the
 * version; renaming, removing or retyping a field is a new schema version, published alongside.
 */

/** The topic the crm relays lead events to. */
export const CRM_LEAD_TOPIC_V1 = 'crm.lead.v1';

const reason = text(1_000);
const temperature = z.enum(['Cold', 'Warm', 'Hot']);
const details = {
  eventDate: calendarDate.nullable(),
  venue: text(500).nullable(),
  source: requiredText(200),
  sourceDetails: text(2_000),
  campaignId: uuid.nullable(),
  expectedCloseDate: calendarDate.nullable(),
  temperature,
};

export const LeadCapturedV1 = z.object({
  leadId: uuid,
  contactId: uuid,
  statusId: uuid,
  ...details,
  followUpDate: calendarDate.nullable(),
  notes: text(10_000).nullable(),
  // Additive (still schema version 1): absent in events recorded before it existed.
  assigneeId: uuid.nullish(),
  capturedAt: instant,
  capturedBy: actor,
});

/** Only the fields that changed are present. */
export const LeadDetailsUpdatedV1 = z.object({
  leadId: uuid,
  changes: z.object(details).partial(),
  updatedAt: instant,
  updatedBy: actor,
});

/** A follow-up date set, moved or (null) cleared. */
export const LeadFollowUpScheduledV1 = z.object({
  leadId: uuid,
  previousFollowUpDate: calendarDate.nullable(),
  followUpDate: calendarDate.nullable(),
  scheduledAt: instant,
  scheduledBy: actor,
});

export const LeadStatusChangedV1 = z.object({
  leadId: uuid,
  fromStatusId: uuid,
  toStatusId: uuid,
  reason,
  changedAt: instant,
  changedBy: actor,
});

export const LeadAssignedV1 = z.object({
  leadId: uuid,
  assigneeId: uuid,
  previousAssigneeId: uuid.nullable(),
  reason,
  assignedAt: instant,
  assignedBy: actor,
});

export const LeadNoteAddedV1 = z.object({
  leadId: uuid,
  noteId: uuid,
  body: requiredText(10_000),
  /** Visible only to its author. */
  private: z.boolean(),
  /** User ids mentioned in the note. */
  mentions: list(uuid, 50),
  addedAt: instant,
  addedBy: actor,
});

export const CommunicationLoggedV1 = z.object({
  leadId: uuid,
  communicationId: uuid,
  type: z.enum(['Email', 'Call', 'Meeting', 'Sms', 'Other']),
  direction: z.enum(['Inbound', 'Outbound']),
  subject: text(500),
  content: text(50_000),
  status: z.enum(['Scheduled', 'Completed', 'Failed', 'Cancelled']),
  occurredAt: instant,
  loggedAt: instant,
  loggedBy: actor,
});

export const LeadArchivedV1 = z.object({
  leadId: uuid,
  reason,
  archivedAt: instant,
  archivedBy: actor,
});

/** Event type → its current schema version and payload schema. */
export const crmLeadEventContractsV1 = {
  LeadCaptured: { schemaVersion: 1, schema: LeadCapturedV1 },
  LeadDetailsUpdated: { schemaVersion: 1, schema: LeadDetailsUpdatedV1 },
  LeadFollowUpScheduled: { schemaVersion: 1, schema: LeadFollowUpScheduledV1 },
  LeadStatusChanged: { schemaVersion: 1, schema: LeadStatusChangedV1 },
  LeadAssigned: { schemaVersion: 1, schema: LeadAssignedV1 },
  LeadNoteAdded: { schemaVersion: 1, schema: LeadNoteAddedV1 },
  CommunicationLogged: { schemaVersion: 1, schema: CommunicationLoggedV1 },
  LeadArchived: { schemaVersion: 1, schema: LeadArchivedV1 },
} as const;

export type CrmLeadContractEventType = keyof typeof crmLeadEventContractsV1;
export type LeadCapturedPayloadV1 = z.infer<typeof LeadCapturedV1>;
export type LeadStatusChangedPayloadV1 = z.infer<typeof LeadStatusChangedV1>;
export type LeadAssignedPayloadV1 = z.infer<typeof LeadAssignedV1>;
export type LeadArchivedPayloadV1 = z.infer<typeof LeadArchivedV1>;

/** The lead events as a consumer's discriminated union (`{ type, data }`). */
export type CrmLeadEventV1 = {
  [Type in CrmLeadContractEventType]: { readonly type: Type; readonly data: z.infer<(typeof crmLeadEventContractsV1)[Type]['schema']> };
}[CrmLeadContractEventType];
