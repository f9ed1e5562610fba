import { deriveId } from '@projectflo/platform/core';
import { normalizeEmail } from './shared/field-validation';

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

// Longest prefix first: `lead-pipeline-…` must not be taken for a `lead-…` stream, nor
// `contact-email-…` for a `contact-…` stream.
const categories: readonly CrmAggregate[] = ['contact-email', 'lead-pipeline', 'organization', 'contact', 'lead'];

/** The aggregate type and id of a crm stream name, or null for a stream that is not crm's. */
export function parseStreamName(name: string): { aggregate: CrmAggregate; id: string } | null {
  for (const aggregate of categories) {
    const prefix = `${aggregate}-`;
    if (name.startsWith(prefix) && name.length > prefix.length) return { aggregate, id: name.slice(prefix.length) };
  }
  return null;
}

/** The topic a crm stream's events are relayed to, or null when the stream is not published. */
export function topicForStream(name: string): CrmTopic | null {
  const parsed = parseStreamName(name);
  if (!parsed || parsed.aggregate === 'contact-email') return null;
  return crmTopics[parsed.aggregate];
}
