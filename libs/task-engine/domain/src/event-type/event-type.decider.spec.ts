import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { DefineEventType, RetireEventType } from './event-type.commands';
import { eventTypeCatalogDecider, evolveEventTypeCatalog, initialEventTypeCatalogState, requireActiveEventType } from './event-type.decider';
import type { EventTypeDefined, EventTypeRetired } from './event-type.events';

const spec = deciderSpecification(eventTypeCatalogDecider);

const define = (data: Partial<DefineEventType['data']> = {}): DefineEventType => ({
  type: 'DefineEventType',
  data: { eventTypeId: 'et-1', eventType: 'wedding.booked', name: 'Wedding booked', subjectDateFields: ['event_date'], ...data },
  metadata: meta(),
});
const retire = (eventTypeId = 'et-1'): RetireEventType => ({ type: 'RetireEventType', data: { eventTypeId, reason: 'replaced' }, metadata: meta() });

const defined: EventTypeDefined = {
  type: 'EventTypeDefined',
  data: {
    tenantId: TENANT,
    eventTypeId: 'et-1',
    key: 'wedding.booked',
    name: 'Wedding booked',
    description: null,
    subjectDateFields: ['event_date'],
    definedBy: ACTOR,
    definedAt: NOW_ISO,
  },
};
const retired: EventTypeRetired = {
  type: 'EventTypeRetired',
  data: { tenantId: TENANT, eventTypeId: 'et-1', key: 'wedding.booked', reason: 'replaced', retiredBy: ACTOR, retiredAt: NOW_ISO },
};

describe('event type catalog', () => {
  describe('when the catalog is empty', () => {
    it('defines an event type', () => {
      spec.given([]).when(define()).then([defined]);
    });

    it('names every invalid field', () => {
      spec
        .given([])
        .when(define({ eventType: 'Wedding Booked', name: '  ', subjectDateFields: ['EventDate', 'event_date', 'event_date'] }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['eventType', 'name', 'subjectDateFields[0]', 'subjectDateFields[2]']);
    });

    it('refuses a name longer than 200 characters', () => {
      spec.given([]).when(define({ name: 'x'.repeat(201) })).thenThrows(DomainErrorCode.InvalidArgument, ['name']);
    });

    it('cannot retire an unknown type', () => {
      spec.given([]).when(retire()).thenThrows(DomainErrorCode.NotFound);
    });
  });

  describe('when an event type is defined', () => {
    it('treats the same definition again as a no-op', () => {
      spec.given([defined]).when(define()).then([]);
    });

    it('refuses a different definition under the same id', () => {
      spec.given([defined]).when(define({ name: 'Booked!' })).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('refuses the same key under another id', () => {
      const error = spec.given([defined]).when(define({ eventTypeId: 'et-2' })).thenThrows(DomainErrorCode.AlreadyExists);
      expect(error.details).toMatchObject({ key: 'wedding.booked', eventTypeId: 'et-1' });
    });

    it('retires it', () => {
      spec.given([defined]).when(retire()).then([retired]);
    });
  });

  describe('when an event type is retired', () => {
    it('refuses retiring it again', () => {
      spec.given([defined, retired]).when(retire()).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('never reuses its key', () => {
      spec.given([defined, retired]).when(define({ eventTypeId: 'et-2' })).thenThrows(DomainErrorCode.AlreadyExists);
    });

    it('no longer accepts external events of that type', () => {
      const state = [defined, retired].reduce(evolveEventTypeCatalog, initialEventTypeCatalogState());
      expect(() => requireActiveEventType(state, 'wedding.booked')).toThrow(expect.objectContaining({ code: DomainErrorCode.FailedPrecondition }));
      expect(() => requireActiveEventType(state, 'lead.lost')).toThrow(expect.objectContaining({ code: DomainErrorCode.NotFound }));
    });
  });
});
