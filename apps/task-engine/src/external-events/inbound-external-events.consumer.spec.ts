import { parseInboundMessage } from './inbound-external-events.consumer';

const message = {
  schemaVersion: 1,
  tenantId: 'tenant-a',
  idempotencyKey: 'form-4711',
  eventTypeKey: 'wedding.booked',
  subjectId: 'booking-1',
  occurredAt: '2026-11-21T09:00:00+01:00',
  payload: { event_date: '2027-06-12' },
};

describe('inbound external event messages', () => {
  it('accepts a well-formed message', () => {
    expect(parseInboundMessage(Buffer.from(JSON.stringify(message)))).toEqual({ ok: true, message });
  });

  it('gives a dead-letter reason for a missing value, bad JSON and a schema violation', () => {
    expect(parseInboundMessage(null)).toEqual({ ok: false, reason: 'missing-value: the message has no value' });
    expect(parseInboundMessage(Buffer.from('{nope'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid-json: /) });
    const result = parseInboundMessage(Buffer.from(JSON.stringify({ ...message, eventTypeKey: 'Wedding Booked', payload: { blob: 'x'.repeat(70_000) } })));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid-payload: .*eventTypeKey.*payload/) });
  });
});
