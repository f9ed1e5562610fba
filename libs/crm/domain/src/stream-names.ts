import { deriveId, normalizeEmail } from '@projectflo/platform/core';

/** Aggregate types of the crm context; each one is a stream category. */
export const CrmAggregate = {
  Organization: 'organization',
  Contact: 'contact',
  ContactEmail: 'contact-email',
  LeadPipeline: 'lead-pipeline',
  Lead: 'lead',
} as const;
export type CrmAggregate = (typeof CrmAggregate)[keyof typeof CrmAggregate];

/**
 * The key of a contact-email reservation stream: one stream per (tenant, normalized email), so
 * that two contacts of one tenant cannot hold the same address while other tenants are unaffected.
 */
export function contactEmailKey(tenantId: string, email: string): string {
  return deriveId('contact-email', tenantId, normalizeEmail(email));
}

export const streamName = {
  organization: (tenantId: string): string => `organization-${tenantId}`,
  contact: (contactId: string): string => `contact-${contactId}`,
  contactEmail: (tenantId: string, email: string): string => `contact-email-${contactEmailKey(tenantId, email)}`,
  leadPipeline: (tenantId: string): string => `lead-pipeline-${tenantId}`,
  lead: (leadId: string): string => `lead-${leadId}`,
} as const;

/**
 * One Kafka topic per published aggregate type, keyed by aggregate id. The contact-email
 * reservation stream is an internal consistency device and is not published.
 */
export const crmTopics = {
  organization: 'crm.organization.v1',
  contact: 'crm.contact.v1',
  'lead-pipeline': 'crm.lead-pipeline.v1',
  lead: 'crm.lead.v1',
} as const satisfies Partial<Record<CrmAggregate, string>>;
export type CrmTopic = (typeof crmTopics)[keyof typeof crmTopics];

/**
 * What crm's relay is given: the published topics, and the email reservations marked internal —
 * `contact-email-…` streams would otherwise route as `contact-…` and publish email addresses.
 */
export const crmRelayRoutes: Readonly<Record<CrmAggregate, string | null>> = { ...crmTopics, 'contact-email': null };
