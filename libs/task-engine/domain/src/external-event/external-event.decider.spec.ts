import { MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1 } from '@projectflo/contracts';
import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, meta, NOW_ISO, TENANT } from '../shared/command-metadata.fixtures';
import type { IngestExternalEvent } from './external-event.commands';
import { externalEventDecider, externalEventId, subjectDatesFromPayload } from './external-event.decider';
import type { ExternalEventIngested } from './external-event.events';

const spec = deciderSpecification(externalEventDecider);
const KEY = 'booking-form-4711';
const EVENT_ID = externalEventId(TENANT, KEY);

const ingest = (data: Partial<IngestExternalEvent['data']> = {}, automationDepth?: number): IngestExternalEvent => ({
  type: 'IngestExternalEvent',
  data: {
    eventId: EVENT_ID,
    eventType: 'wedding.booked',
    subjectId: 'lead-1',
    payload: { event_date: '2025-09-20', venue: { name: 'Old Mill', guests: 120 } },
    occurredAt: '2025-06-14T11:30:00+02:00',
    idempotencyKey: KEY,
    ...data,
  },
  metadata: meta({ automationDepth }),
});

const ingested: ExternalEventIngested = {
  type: 'ExternalEventIngested',
  data: {
    tenantId: TENANT,
    eventId: EVENT_ID,
    eventTypeKey: 'wedding.booked',
    subjectId: 'lead-1',
    payload: { event_date: '2025-09-20', venue: { name: 'Old Mill', guests: 120 } },
    occurredAt: '2025-06-14T09:30:00.000Z',
    idempotencyKey: KEY,
    automationDepth: 0,
    ingestedBy: ACTOR,
    ingestedAt: NOW_ISO,
  },
};

describe('external event', () => {
  it('derives one id per tenant and idempotency key', () => {
    expect(externalEventId(TENANT, KEY)).toBe(EVENT_ID);
    expect(externalEventId('tenant-b', KEY)).not.toBe(EVENT_ID);
    expect(externalEventId(TENANT, 'other-key')).not.toBe(EVENT_ID);
  });

  describe('when nothing was ingested under the key', () => {
    it('ingests it, normalising the occurrence to UTC', () => {
      spec.given([]).when(ingest()).then([ingested]);
    });

    it('records the automation depth of the command', () => {
      spec
        .given([])
        .when(ingest({}, 2))
        .then([{ ...ingested, data: { ...ingested.data, automationDepth: 2 } }]);
    });

    it('names every invalid field', () => {
      spec
        .given([])
        .when(ingest({ eventType: 'Wedding Booked', subjectId: '', occurredAt: '2025-06-14T11:30:00', payload: [] as never }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['eventType', 'subjectId', 'occurredAt', 'payload']);
    });

    it('refuses an event id that is not derived from the idempotency key', () => {
      spec.given([]).when(ingest({ eventId: 'made-up' })).thenThrows(DomainErrorCode.InvalidArgument, ['eventId']);
    });

    it('refuses a payload over the size limit', () => {
      const payload = { blob: 'x'.repeat(MAX_EXTERNAL_EVENT_PAYLOAD_BYTES_V1) };
      spec.given([]).when(ingest({ payload })).thenThrows(DomainErrorCode.InvalidArgument, ['payload']);
    });

    it('refuses payload values that are not JSON', () => {
      spec
        .given([])
        .when(ingest({ payload: { amount: Number.NaN } }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['payload']);
    });

    it('refuses an occurrence in the future', () => {
      spec.given([]).when(ingest({ occurredAt: '2025-06-14T12:00:00Z' })).thenThrows(DomainErrorCode.InvalidArgument, ['occurredAt']);
    });
  });

  describe('when the key was already ingested', () => {
    it('is a no-op for the same content, whatever its key order or offset spelling', () => {
      spec
        .given([ingested])
        .when(ingest({ payload: { venue: { guests: 120, name: 'Old Mill' }, event_date: '2025-09-20' }, occurredAt: '2025-06-14T09:30:00Z' }))
        .then([]);
    });

    it('is ALREADY_EXISTS for different content', () => {
      spec.given([ingested]).when(ingest({ payload: { event_date: '2025-09-21' } })).thenThrows(DomainErrorCode.AlreadyExists);
      spec.given([ingested]).when(ingest({ subjectId: 'lead-2' })).thenThrows(DomainErrorCode.AlreadyExists);
    });
  });

  it('reads declared subject dates from the payload, leaving out what is not a date', () => {
    expect(subjectDatesFromPayload({ event_date: '2025-09-20', rehearsal: 'soon', venue: 'x' }, ['event_date', 'rehearsal', 'missing'])).toEqual({
      event_date: '2025-09-20',
    });
  });
});
