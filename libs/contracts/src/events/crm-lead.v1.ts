import { z } from 'zod';

/*
 * Versioned payload schemas of the lead events published on `crm.lead.v1` (message key: the lead
 * id; type, schema version and tenant travel in the CloudEvents headers). Consumers in other
 * bounded contexts (the task-engine's lead automation) validate against these without importing
 * crm's domain; crm's lead.contracts.spec.ts fails the typecheck if its events drift from them.
 * Rules for change: adding an optional field keeps the
 * version; renaming, removing or retyping a field is a new schema version, published alongside.
 */

const uuid = z.string().uuid();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const instant = z.string().datetime({ offset: true });
const text = z.string();

/** The topic the crm relays lead events to. */
export const CRM_LEAD_TOPIC_V1 = 'crm.lead.v1';

export const LeadCapturedV1 = z.object({
  leadId: uuid,
  contactId: uuid,
  statusId: uuid,
  eventDate: isoDate.nullable(),
  venue: text.nullable(),
  source: text.min(1),
  sourceDetails: text,
  campaignId: uuid.nullable(),
  followUpDate: isoDate.nullable(),
  expectedCloseDate: isoDate.nullable(),
  temperature: z.enum(['Cold', 'Warm', 'Hot']),
  notes: text.nullable(),
  // Additive (still schema version 1): absent in events recorded before it existed.
  assigneeId: uuid.nullish(),
  capturedAt: instant,
  capturedBy: z.string().min(1),
});

export const LeadStatusChangedV1 = z.object({
  leadId: uuid,
  fromStatusId: uuid,
  toStatusId: uuid,
  reason: text,
  changedAt: instant,
  changedBy: z.string().min(1),
});

export const LeadAssignedV1 = z.object({
  leadId: uuid,
  assigneeId: uuid,
  previousAssigneeId: uuid.nullable(),
  reason: text,
  assignedAt: instant,
  assignedBy: z.string().min(1),
});

export const LeadArchivedV1 = z.object({
  leadId: uuid,
  reason: text,
  archivedAt: instant,
  archivedBy: z.string().min(1),
});

/** Event type → its current schema version and payload schema. */
export const crmLeadEventContractsV1 = {
  LeadCaptured: { schemaVersion: 1, schema: LeadCapturedV1 },
  LeadStatusChanged: { schemaVersion: 1, schema: LeadStatusChangedV1 },
  LeadAssigned: { schemaVersion: 1, schema: LeadAssignedV1 },
  LeadArchived: { schemaVersion: 1, schema: LeadArchivedV1 },
} as const;

export type CrmLeadContractEventType = keyof typeof crmLeadEventContractsV1;
export type LeadCapturedPayloadV1 = z.infer<typeof LeadCapturedV1>;
export type LeadStatusChangedPayloadV1 = z.infer<typeof LeadStatusChangedV1>;
export type LeadAssignedPayloadV1 = z.infer<typeof LeadAssignedV1>;
export type LeadArchivedPayloadV1 = z.infer<typeof LeadArchivedV1>;

/** The lead events as a consumer's discriminated union (`{ type, data }`). */
export type CrmLeadEventV1 =
  | { readonly type: 'LeadCaptured'; readonly data: LeadCapturedPayloadV1 }
  | { readonly type: 'LeadStatusChanged'; readonly data: LeadStatusChangedPayloadV1 }
  | { readonly type: 'LeadAssigned'; readonly data: LeadAssignedPayloadV1 }
  | { readonly type: 'LeadArchived'; readonly data: LeadArchivedPayloadV1 };
