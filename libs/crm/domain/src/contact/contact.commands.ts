import type { Command } from '@projectflo/platform/core';
import type { ContactType } from './contact.events';

/**
 * The handler reserves the email (contact-email stream) before it sends this command; see
 * contact-email.decider.ts for the whole protocol.
 */
export type CreateContact = Command<
  'CreateContact',
  {
    readonly contactId: string;
    readonly type: ContactType;
    readonly firstName: string;
    readonly lastName?: string;
    readonly email: string;
    readonly phone?: string;
    /** The company's name (ContactCreated's companyName). */
    readonly company?: string;
  }
>;

/**
 * A partial update: an absent (undefined) field is left alone; for phone and company an
 * empty string or null clears the value. The email changes only through ChangeContactEmail.
 */
export type UpdateContact = Command<
  'UpdateContact',
  {
    readonly contactId: string;
    readonly type?: ContactType;
    readonly firstName?: string;
    readonly lastName?: string;
    readonly phone?: string | null;
    readonly company?: string | null;
  }
>;

/** The handler reserves the new email first and releases the previous one after this succeeds. */
export type ChangeContactEmail = Command<'ChangeContactEmail', { readonly contactId: string; readonly email: string }>;

export type ArchiveContact = Command<'ArchiveContact', { readonly contactId: string; readonly reason?: string }>;

export type RestoreContact = Command<'RestoreContact', { readonly contactId: string }>;

export type ContactCommand = CreateContact | UpdateContact | ChangeContactEmail | ArchiveContact | RestoreContact;
