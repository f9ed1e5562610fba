import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, AT, chars, meta, uuid } from '../testing/crm.fixtures';
import type { ContactCommand } from './contact.commands';
import { contactDecider, contactLookup } from './contact.decider';
import type { ContactArchived, ContactCreated } from './contact.events';

const spec = deciderSpecification(contactDecider);
const CONTACT = uuid(21);

const created: ContactCreated = {
  type: 'ContactCreated',
  data: {
    contactId: CONTACT,
    type: 'ClientLead',
    firstName: 'Maya',
    lastName: 'Okafor',
    email: 'maya.okafor@example.com',
    phone: '+33 6 12 34 56 78',
    companyName: null,
    createdAt: AT,
    createdBy: ACTOR,
  },
};
const archived: ContactArchived = {
  type: 'ContactArchived',
  data: { contactId: CONTACT, reason: 'duplicate', archivedAt: AT, archivedBy: ACTOR },
};

const create = (data: Record<string, unknown> = {}): ContactCommand =>
  ({
    type: 'CreateContact',
    data: {
      contactId: CONTACT,
      type: 'ClientLead',
      firstName: ' Maya ',
      lastName: 'Okafor',
      email: ' Maya.Okafor@Example.COM',
      phone: '+33 6 12 34 56 78',
      company: '',
      ...data,
    },
    metadata: meta(),
  }) as ContactCommand;

const update = (data: Record<string, unknown>): ContactCommand =>
  ({ type: 'UpdateContact', data: { contactId: CONTACT, ...data }, metadata: meta() }) as ContactCommand;

describe('contact decider', () => {
  describe('when the contact does not exist', () => {
    it('creates it with a normalized email and trimmed names', () => {
      spec.given([]).when(create()).then([created]);
    });

    it('reports every invalid field with its request name', () => {
      spec
        .given([])
        .when(create({ contactId: '42', type: 'Client Lead', firstName: '  ', lastName: chars(201), email: 'maya@', phone: chars(51) }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['contactId', 'type', 'firstName', 'lastName', 'email', 'phone']);
    });

    it('requires an email', () => {
      spec.given([]).when(create({ email: '' })).thenThrows(DomainErrorCode.InvalidArgument, ['email']);
    });

    it('rejects a first name longer than 200 characters', () => {
      spec.given([]).when(create({ firstName: chars(201) })).thenThrows(DomainErrorCode.InvalidArgument, ['firstName']);
    });

    it('accepts a contact without last name, as a vendor known by company', () => {
      spec
        .given([])
        .when(create({ type: 'Vendor', lastName: undefined, company: 'Bloom Florists', phone: undefined }))
        .then([
          {
            type: 'ContactCreated',
            data: { ...created.data, type: 'Vendor', lastName: '', companyName: 'Bloom Florists', phone: null },
          },
        ]);
    });

    it.each([
      ['UpdateContact', update({ firstName: 'May' })],
      ['ArchiveContact', { type: 'ArchiveContact', data: { contactId: CONTACT }, metadata: meta() } as ContactCommand],
    ])('cannot %s', (_name, command) => {
      spec.given([]).when(command).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when the contact exists', () => {
    it('cannot be created twice', () => {
      spec.given([created]).when(create()).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('records only the fields that changed', () => {
      spec
        .given([created])
        .when(update({ type: 'Client', firstName: 'Maya', company: 'Okafor Events', phone: null }))
        .then([
          {
            type: 'ContactUpdated',
            data: {
              contactId: CONTACT,
              changes: { type: 'Client', companyName: 'Okafor Events', phone: null },
              updatedAt: AT,
              updatedBy: ACTOR,
            },
          },
        ]);
    });

    it('records nothing when nothing changed', () => {
      spec.given([created]).when(update({ firstName: 'Maya', lastName: 'Okafor' })).then([]);
    });

    it('validates updated fields', () => {
      spec
        .given([created])
        .when(update({ firstName: '', type: 'Customer' }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['firstName', 'type']);
    });

    it('changes the email, normalized', () => {
      spec
        .given([created])
        .when({ type: 'ChangeContactEmail', data: { contactId: CONTACT, email: 'MAYA@okafor.example' }, metadata: meta() })
        .then([
          {
            type: 'ContactEmailChanged',
            data: {
              contactId: CONTACT,
              previousEmail: 'maya.okafor@example.com',
              email: 'maya@okafor.example',
              changedAt: AT,
              changedBy: ACTOR,
            },
          },
        ]);
    });

    it('archives it (soft delete)', () => {
      spec
        .given([created])
        .when({ type: 'ArchiveContact', data: { contactId: CONTACT, reason: 'duplicate' }, metadata: meta() })
        .then([archived]);
    });
  });

  describe('when the contact is archived', () => {
    it('cannot be archived twice', () => {
      spec
        .given([created, archived])
        .when({ type: 'ArchiveContact', data: { contactId: CONTACT }, metadata: meta() })
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('rejects updates', () => {
      spec.given([created, archived]).when(update({ firstName: 'May' })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('can be restored, and then updated again', () => {
      const restored = { type: 'ContactRestored' as const, data: { contactId: CONTACT, restoredAt: AT, restoredBy: ACTOR } };
      spec
        .given([created, archived])
        .when({ type: 'RestoreContact', data: { contactId: CONTACT }, metadata: meta() })
        .then([restored]);
      spec
        .given([created, archived, restored])
        .when(update({ firstName: 'May' }))
        .then([{ type: 'ContactUpdated', data: { contactId: CONTACT, changes: { firstName: 'May' }, updatedAt: AT, updatedBy: ACTOR } }]);
    });

    it('is reported as archived to the lead decider', () => {
      const state = [created, archived].reduce(contactDecider.evolve, contactDecider.initialState());
      expect(contactLookup(state, CONTACT)).toEqual({ contactId: CONTACT, exists: true, archived: true });
      expect(contactLookup(contactDecider.initialState(), CONTACT)).toEqual({ contactId: CONTACT, exists: false, archived: false });
    });
  });
});
