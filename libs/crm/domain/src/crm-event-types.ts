import { contactEmailDecider, ContactEmailEventType } from './contact/contact-email.decider';
import { contactDecider } from './contact/contact.decider';
import { leadPipelineDecider } from './lead-pipeline/lead-pipeline.decider';
import { leadDecider } from './lead/lead.decider';
import { organizationDecider } from './organization/organization.decider';
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
 * Payload schema version of every crm event type: the deciders' own, in one map. The published
 * contracts (libs/contracts/src/events/crm-*.v1.ts) must agree (crm.contracts.spec.ts).
 */
export const crmEventSchemaVersions: Readonly<Record<CrmEventType, number>> = {
  ...organizationDecider.schemaVersions,
  ...contactDecider.schemaVersions,
  ...contactEmailDecider.schemaVersions,
  ...leadPipelineDecider.schemaVersions,
  ...leadDecider.schemaVersions,
};
