import { z } from 'zod';
import { actor, instant, requiredText, text, uuid } from './payload-fields';

/*
 * Payload schemas of the events on `crm.contact.v1` (key: the contact id). Email addresses are
 * lower-cased and unique per tenant. Rules for change as in crm-lead.v1.ts.
 */

export const CRM_CONTACT_TOPIC_V1 = 'crm.contact.v1';

const email = requiredText(254);
const profile = {
  type: z.enum(['ClientLead', 'Client', 'Contributor', 'Vendor']),
  firstName: requiredText(200),
  /** '' when the contact has none. */
  lastName: text(200),
  phone: text(50).nullable(),
  companyName: text(200).nullable(),
};

export const ContactCreatedV1 = z.object({
  contactId: uuid,
  ...profile,
  email,
  createdAt: instant,
  createdBy: actor,
});

/** Only the fields that changed are present. */
export const ContactUpdatedV1 = z.object({
  contactId: uuid,
  changes: z.object(profile).partial(),
  updatedAt: instant,
  updatedBy: actor,
});

export const ContactEmailChangedV1 = z.object({
  contactId: uuid,
  previousEmail: email,
  email,
  changedAt: instant,
  changedBy: actor,
});

export const ContactArchivedV1 = z.object({
  contactId: uuid,
  reason: text(1_000),
  archivedAt: instant,
  archivedBy: actor,
});

export const ContactRestoredV1 = z.object({
  contactId: uuid,
  restoredAt: instant,
  restoredBy: actor,
});

/** Event type → its current schema version and payload schema. */
export const crmContactEventContractsV1 = {
  ContactCreated: { schemaVersion: 1, schema: ContactCreatedV1 },
  ContactUpdated: { schemaVersion: 1, schema: ContactUpdatedV1 },
  ContactEmailChanged: { schemaVersion: 1, schema: ContactEmailChangedV1 },
  ContactArchived: { schemaVersion: 1, schema: ContactArchivedV1 },
  ContactRestored: { schemaVersion: 1, schema: ContactRestoredV1 },
} as const;
