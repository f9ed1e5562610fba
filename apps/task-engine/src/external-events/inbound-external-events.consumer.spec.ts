import { PoisonMessageError } from '@projectflo/platform/messaging';
import { externalEventsInboundTopic } from '@projectflo/task-engine/domain';
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

const TOPIC_A = externalEventsInboundTopic('tenant-a');

function reason(value: Buffer | null, topic = TOPIC_A): string {
  try {
    parseInboundMessage(topic, value);
  } catch (error) {
    if (error instanceof PoisonMessageError) return error.reason;
    throw error;
  }
  throw new Error('expected the message to be poison');
}

describe('inbound external event messages', () => {
  it('accepts a well-formed message', () => {
    expect(parseInboundMessage(TOPIC_A, Buffer.from(JSON.stringify(message)))).toEqual(message);
  });

  it('calls a missing value, bad JSON and a schema violation poison, with the reason', () => {
    expect(reason(null)).toBe('missing-value: the message has no value');
    expect(reason(Buffer.from('{nope'))).toMatch(/^invalid-json: /);
    expect(reason(Buffer.from(JSON.stringify({ ...message, eventTypeKey: 'Wedding Booked', payload: { blob: 'x'.repeat(70_000) } })))).toMatch(
      /^invalid-payload: .*eventTypeKey.*payload/,
    );
  });

  it("takes the tenant from the topic: a body naming another tenant is poison, and so is a topic that is no tenant's", () => {
    const value = Buffer.from(JSON.stringify(message));
    expect(reason(value, externalEventsInboundTopic('tenant-b'))).toBe("tenant-mismatch: a message on tenant tenant-b's inbound topic names tenant tenant-a");
    expect(reason(value, 'tasks.external-events.in.v1')).toMatch(/^unknown-topic: /);
  });
});
