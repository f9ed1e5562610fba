import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { streamName } from '../stream-names';
import { ACTOR, AT, meta, TENANT, uuid } from '../testing/crm.fixtures';
import { contactEmailDecider, type ContactEmailCommand, type ContactEmailReserved } from './contact-email.decider';

const spec = deciderSpecification(contactEmailDecider);
const FIRST = uuid(31);
const SECOND = uuid(32);
const EMAIL = 'maya@example.com';

const reserved: ContactEmailReserved = {
  type: 'ContactEmailReserved',
  data: { email: EMAIL, contactId: FIRST, reservedAt: AT, reservedBy: ACTOR },
};
const reserve = (contactId: string, email = 'Maya@Example.com'): ContactEmailCommand => ({
  type: 'ReserveContactEmail',
  data: { email, contactId },
  metadata: meta(),
});
const release = (contactId: string): ContactEmailCommand => ({
  type: 'ReleaseContactEmail',
  data: { email: EMAIL, contactId },
  metadata: meta(),
});

describe('contact-email reservation decider', () => {
  it('keys the stream by tenant and normalized email, so case and spaces do not matter', () => {
    expect(streamName.contactEmail(TENANT, ' MAYA@example.com')).toBe(streamName.contactEmail(TENANT, EMAIL));
    expect(streamName.contactEmail(uuid(2), EMAIL)).not.toBe(streamName.contactEmail(TENANT, EMAIL));
    expect(streamName.contactEmail(TENANT, EMAIL)).toMatch(/^contact-email-[0-9a-f-]{36}$/);
  });

  describe('when the email is free', () => {
    it('reserves it for the contact', () => {
      spec.given([]).when(reserve(FIRST)).then([reserved]);
    });

    it('rejects a malformed email or contact id', () => {
      spec.given([]).when(reserve('c-1', 'nope')).thenThrows(DomainErrorCode.InvalidArgument, ['email', 'contactId']);
    });

    it('has nothing to release', () => {
      spec.given([]).when(release(FIRST)).then([]);
    });
  });

  describe('when the email is reserved', () => {
    it('gives a second contact ALREADY_EXISTS naming the holder', () => {
      const error = spec.given([reserved]).when(reserve(SECOND)).thenThrows(DomainErrorCode.AlreadyExists);
      expect(error.details).toEqual({ what: 'contact', contactId: FIRST });
    });

    it('is a no-op for the holder, so a retried create can proceed', () => {
      spec.given([reserved]).when(reserve(FIRST)).then([]);
    });

    it('is released by its holder and can then be taken by another contact', () => {
      const released = {
        type: 'ContactEmailReleased' as const,
        data: { email: EMAIL, contactId: FIRST, releasedAt: AT, releasedBy: ACTOR },
      };
      spec.given([reserved]).when(release(FIRST)).then([released]);
      spec
        .given([reserved, released])
        .when(reserve(SECOND))
        .then([{ type: 'ContactEmailReserved', data: { ...reserved.data, contactId: SECOND } }]);
    });

    it('cannot be released by another contact', () => {
      spec.given([reserved]).when(release(SECOND)).thenThrows(DomainErrorCode.FailedPrecondition);
    });
  });
});
