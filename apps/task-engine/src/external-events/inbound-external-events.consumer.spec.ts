import { PoisonMessageError } from '@projectflo/platform/messaging';
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

function reason(value: Buffer | null): string {
  try {
    parseInboundMessage(value);
  } catch (error) {
    if (error instanceof PoisonMessageError) return error.reason;
    throw error;
  }
  throw new Error('expected the message to be poison');
}

describe('inbound external event messages', () => {
  it('accepts a well-formed message', () => {
    expect(parseInboundMessage(Buffer.from(JSON.stringify(message)))).toEqual(message);
  });

  it('calls a missing value, bad JSON and a schema violation poison, with the reason', () => {
    expect(reason(null)).toBe('missing-value: the message has no value');
    expect(reason(Buffer.from('{nope'))).toMatch(/^invalid-json: /);
    expect(reason(Buffer.from(JSON.stringify({ ...message, eventTypeKey: 'Wedding Booked', payload: { blob: 'x'.repeat(70_000) } })))).toMatch(
      /^invalid-payload: .*eventTypeKey.*payload/,
    );
  });
});
