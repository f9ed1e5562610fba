import type { DomainEvent } from '@projectflo/platform/core';

export const ContactTypes = ['ClientLead', 'Client', 'Contributor', 'Vendor'] as const;
export type ContactType = (typeof ContactTypes)[number];

export const ContactEventType = {
  ContactCreated: 'ContactCreated',
  ContactUpdated: 'ContactUpdated',
  ContactEmailChanged: 'ContactEmailChanged',
  ContactArchived: 'ContactArchived',
  ContactRestored: 'ContactRestored',
} as const;

export interface ContactProfile {
  readonly type: ContactType;
  readonly firstName: string;
  /** '' when the contact has none (a vendor known by first name or company). */
  readonly lastName: string;
  readonly phone: string | null;
  readonly companyName: string | null;
}

export type ContactCreated = DomainEvent<
  'ContactCreated',
  ContactProfile & {
    readonly contactId: string;
    /** Lower-cased and trimmed; unique per tenant through the contact-email reservation stream. */
    readonly email: string;
    readonly createdAt: string;
    readonly createdBy: string;
  }
>;

/** Only the fields that changed are present. */
export type ContactUpdated = DomainEvent<
  'ContactUpdated',
  {
    readonly contactId: string;
    readonly changes: Partial<ContactProfile>;
    readonly updatedAt: string;
    readonly updatedBy: string;
  }
>;

export type ContactEmailChanged = DomainEvent<
  'ContactEmailChanged',
  {
    readonly contactId: string;
    readonly previousEmail: string;
    readonly email: string;
    readonly changedAt: string;
    readonly changedBy: string;
  }
>;

export type ContactArchived = DomainEvent<
  'ContactArchived',
  { readonly contactId: string; readonly reason: string; readonly archivedAt: string; readonly archivedBy: string }
>;

export type ContactRestored = DomainEvent<
  'ContactRestored',
  { readonly contactId: string; readonly restoredAt: string; readonly restoredBy: string }
>;

export type ContactEvent = ContactCreated | ContactUpdated | ContactEmailChanged | ContactArchived | ContactRestored;
