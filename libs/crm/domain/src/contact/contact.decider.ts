import { defineDecider, assertNever, DomainError, Violations } from '@projectflo/platform/core';
import { TextLimits } from '../shared/text-limits';
import type { ContactCommand } from './contact.commands';
import { ContactTypes, type ContactEvent, type ContactProfile } from './contact.events';

export type ContactState =
  | { readonly status: 'none' }
  | (ContactProfile & {
      readonly status: 'active' | 'archived';
      readonly contactId: string;
      readonly email: string;
    });

type Existing = Exclude<ContactState, { status: 'none' }>;

/** What a handler tells the lead decider about the contact a lead is captured for. */
export interface ContactLookup {
  readonly contactId: string;
  readonly exists: boolean;
  readonly archived: boolean;
}

export function contactLookup(state: ContactState, contactId: string): ContactLookup {
  return { contactId, exists: state.status !== 'none', archived: state.status === 'archived' };
}

export const contactDecider = defineDecider<ContactState, ContactCommand, ContactEvent>({
  aggregate: 'contact',
  schemaVersions: { ContactCreated: 1, ContactUpdated: 1, ContactEmailChanged: 1, ContactArchived: 1, ContactRestored: 1 },
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
});

function evolve(state: ContactState, event: ContactEvent): ContactState {
  switch (event.type) {
    case 'ContactCreated': {
      const { contactId, email, type, firstName, lastName, phone, companyName } = event.data;
      return { status: 'active', contactId, email, type, firstName, lastName, phone, companyName };
    }
    case 'ContactUpdated':
      return state.status === 'none' ? state : { ...state, ...event.data.changes };
    case 'ContactEmailChanged':
      return state.status === 'none' ? state : { ...state, email: event.data.email };
    case 'ContactArchived':
      return state.status === 'none' ? state : { ...state, status: 'archived' };
    case 'ContactRestored':
      return state.status === 'none' ? state : { ...state, status: 'active' };
    default:
      return assertNever(event, 'contact event');
  }
}

function decide(command: ContactCommand, state: ContactState): ContactEvent[] {
  const { actorId } = command.metadata;
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'CreateContact': {
      const d = command.data;
      const v = new Violations();
      const contactId = v.uuid('contactId', d.contactId);
      const type = v.oneOf('type', d.type, ContactTypes);
      const firstName = v.text('firstName', d.firstName, { max: TextLimits.name, required: true });
      const lastName = v.text('lastName', d.lastName, { max: TextLimits.name });
      const email = v.email('email', d.email);
      const phone = v.optionalText('phone', d.phone, { max: TextLimits.phone });
      const companyName = v.optionalText('company', d.company, { max: TextLimits.name });
      v.throwIfAny();
      if (state.status !== 'none') throw DomainError.alreadyExists('contact', contactId);
      return [
        {
          type: 'ContactCreated',
          data: { contactId, type, firstName, lastName, email, phone, companyName, createdAt: at, createdBy: actorId },
        },
      ];
    }
    case 'UpdateContact': {
      const contact = active(state, command.data.contactId);
      const d = command.data;
      const v = new Violations();
      const next: Partial<Record<keyof ContactProfile, unknown>> = {};
      if (d.type !== undefined) next.type = v.oneOf('type', d.type, ContactTypes);
      if (d.firstName !== undefined) next.firstName = v.text('firstName', d.firstName, { max: TextLimits.name, required: true });
      if (d.lastName !== undefined) next.lastName = v.text('lastName', d.lastName, { max: TextLimits.name });
      if (d.phone !== undefined) next.phone = v.optionalText('phone', d.phone, { max: TextLimits.phone });
      if (d.company !== undefined) next.companyName = v.optionalText('company', d.company, { max: TextLimits.name });
      v.throwIfAny();
      const changes = Object.fromEntries(
        Object.entries(next).filter(([key, value]) => contact[key as keyof ContactProfile] !== value),
      ) as Partial<ContactProfile>;
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'ContactUpdated', data: { contactId: contact.contactId, changes, updatedAt: at, updatedBy: actorId } }];
    }
    case 'ChangeContactEmail': {
      const contact = active(state, command.data.contactId);
      const v = new Violations();
      const email = v.email('email', command.data.email);
      v.throwIfAny();
      if (email === contact.email) return [];
      return [
        {
          type: 'ContactEmailChanged',
          data: { contactId: contact.contactId, previousEmail: contact.email, email, changedAt: at, changedBy: actorId },
        },
      ];
    }
    case 'ArchiveContact': {
      const contact = existing(state, command.data.contactId);
      const v = new Violations();
      const reason = v.text('reason', command.data.reason, { max: TextLimits.reason });
      v.throwIfAny();
      if (contact.status === 'archived') {
        throw DomainError.precondition(`contact ${contact.contactId} is already archived`, { contactId: contact.contactId });
      }
      return [{ type: 'ContactArchived', data: { contactId: contact.contactId, reason, archivedAt: at, archivedBy: actorId } }];
    }
    case 'RestoreContact': {
      const contact = existing(state, command.data.contactId);
      if (contact.status === 'active') {
        throw DomainError.precondition(`contact ${contact.contactId} is not archived`, { contactId: contact.contactId });
      }
      return [{ type: 'ContactRestored', data: { contactId: contact.contactId, restoredAt: at, restoredBy: actorId } }];
    }
    default:
      return assertNever(command, 'contact command');
  }
}

function existing(state: ContactState, contactId: string): Existing {
  if (state.status === 'none') throw DomainError.notFound('contact', contactId);
  return state;
}

/** Archived contacts are read-only until restored. */
function active(state: ContactState, contactId: string): Existing {
  const contact = existing(state, contactId);
  if (contact.status === 'archived') {
    throw DomainError.precondition(`contact ${contactId} is archived`, { contactId });
  }
  return contact;
}
