import { z } from 'zod';

/*
 * Versioned payload schemas of the lead events other services consume from `crm.lead.v1`
 * (message key: the lead id; the event's type and schema version travel in the CloudEvents
 * headers). Downstream consumers validate against these; anything that fails goes to their
 * dead-letter topic. This file depends on zod alone so that it can move verbatim into the shared
 * contracts library. Rules for change: adding an optional field keeps the version; renaming,
 * removing or retyping a field is a new schema version, published alongside the old one.
 */

const uuid = z.string().uuid();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const instant = z.string().datetime({ offset: true });
const text = z.string();

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
export const leadEventContracts = {
  LeadCaptured: { schemaVersion: 1, schema: LeadCapturedV1 },
  LeadStatusChanged: { schemaVersion: 1, schema: LeadStatusChangedV1 },
  LeadAssigned: { schemaVersion: 1, schema: LeadAssignedV1 },
  LeadArchived: { schemaVersion: 1, schema: LeadArchivedV1 },
} as const;

export type LeadContractEventType = keyof typeof leadEventContracts;
export type LeadCapturedPayloadV1 = z.infer<typeof LeadCapturedV1>;
export type LeadStatusChangedPayloadV1 = z.infer<typeof LeadStatusChangedV1>;
export type LeadAssignedPayloadV1 = z.infer<typeof LeadAssignedV1>;
export type LeadArchivedPayloadV1 = z.infer<typeof LeadArchivedV1>;

export type LeadContractEvent =
  | { readonly type: 'LeadCaptured'; readonly schemaVersion: 1; readonly data: LeadCapturedPayloadV1 }
  | { readonly type: 'LeadStatusChanged'; readonly schemaVersion: 1; readonly data: LeadStatusChangedPayloadV1 }
  | { readonly type: 'LeadAssigned'; readonly schemaVersion: 1; readonly data: LeadAssignedPayloadV1 }
  | { readonly type: 'LeadArchived'; readonly schemaVersion: 1; readonly data: LeadArchivedPayloadV1 };

export type LeadContractParseResult =
  | { readonly ok: true; readonly event: LeadContractEvent }
  /** `reason` is what a consumer writes on the dead-letter record. */
  | { readonly ok: false; readonly reason: string };

export function isLeadContractEventType(type: string): type is LeadContractEventType {
  return Object.prototype.hasOwnProperty.call(leadEventContracts, type);
}

/**
 * Validates one consumed message. Event types this file does not describe (e.g. LeadNoteAdded)
 * and unknown schema versions are reported, not thrown, so a consumer can skip or dead-letter them.
 */
export function parseLeadContractEvent(type: string, schemaVersion: number, data: unknown): LeadContractParseResult {
  if (!isLeadContractEventType(type)) return { ok: false, reason: `event type ${type} is not a published lead contract` };
  const contract = leadEventContracts[type];
  if (schemaVersion !== contract.schemaVersion) {
    return { ok: false, reason: `${type} schema version ${schemaVersion} is not supported (expected ${contract.schemaVersion})` };
  }
  const parsed = contract.schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, reason: `${type} v${schemaVersion} payload is invalid: ${issues}` };
  }
  return { ok: true, event: { type, schemaVersion: contract.schemaVersion, data: parsed.data } as LeadContractEvent };
}
