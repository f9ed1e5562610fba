import { ContactEmailEventType } from './contact/contact-email.decider';
import { ContactEventType } from './contact/contact.events';
import { LeadPipelineEventType } from './lead-pipeline/lead-pipeline.events';
import { LeadEventType } from './lead/lead.events';
import { OrganizationEventType } from './organization/organization.events';

/** Every event type the crm context records, by name. */
export const CrmEventType = {
  ...OrganizationEventType,
  ...ContactEventType,
  ...ContactEmailEventType,
  ...LeadPipelineEventType,
  ...LeadEventType,
} as const;
export type CrmEventType = (typeof CrmEventType)[keyof typeof CrmEventType];

/**
 * Payload schema version per event type, for `handleCommand(..., { schemaVersions })`. Every
 * crm event is at version 1; the published contracts (libs/contracts/src/events/crm-*.v1.ts) must agree
 * (crm.contracts.spec.ts).
 */
export const crmEventSchemaVersions: Readonly<Record<CrmEventType, number>> = Object.fromEntries(
  Object.values(CrmEventType).map((type) => [type, 1]),
) as Record<CrmEventType, number>;
