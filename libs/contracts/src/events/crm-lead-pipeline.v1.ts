import { z } from 'zod';
import { actor, instant, list, requiredText, text, uuid } from './payload-fields';

/*
 * Payload schemas of the events on `crm.lead-pipeline.v1` (key: the tenant id): a tenant's lead
 * statuses and their order. Rules for change as in crm-lead.v1.ts.
 */

export const CRM_LEAD_PIPELINE_TOPIC_V1 = 'crm.lead-pipeline.v1';

const name = requiredText(200);
const description = text(2_000);

export const LeadStatusDefinedV1 = z.object({
  statusId: uuid,
  name,
  description,
  /** 0-based position among the active statuses right after this event. */
  order: z.number().int().min(0),
  definedAt: instant,
  definedBy: actor,
});

export const LeadStatusRenamedV1 = z.object({
  statusId: uuid,
  previousName: name,
  name,
  description,
  renamedAt: instant,
  renamedBy: actor,
});

export const LeadStatusesReorderedV1 = z.object({
  /** Every active status id, in pipeline order. */
  statusIds: list(uuid, 500),
  reorderedAt: instant,
  reorderedBy: actor,
});

export const LeadStatusRetiredV1 = z.object({
  statusId: uuid,
  reason: text(1_000),
  retiredAt: instant,
  retiredBy: actor,
});

/** Event type → its current schema version and payload schema. */
export const crmLeadPipelineEventContractsV1 = {
  LeadStatusDefined: { schemaVersion: 1, schema: LeadStatusDefinedV1 },
  LeadStatusRenamed: { schemaVersion: 1, schema: LeadStatusRenamedV1 },
  LeadStatusesReordered: { schemaVersion: 1, schema: LeadStatusesReorderedV1 },
  LeadStatusRetired: { schemaVersion: 1, schema: LeadStatusRetiredV1 },
} as const;
