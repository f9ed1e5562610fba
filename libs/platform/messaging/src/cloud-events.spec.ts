import type { IHeaders } from 'kafkajs';
import type { RecordedEvent } from '@projectflo/platform/core';
import { CE, decodeEvent, encodeEvent } from './cloud-events';
import { PoisonMessageError } from './poison-message.error';

const leadId = '0b6f7c1e-8a52-4c57-9d0e-3f2a1b4c5d6e';

function recorded(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    eventId: 'f4c3b2a1-0000-4000-8000-000000000001',
    type: 'LeadStatusChanged',
    data: { leadId, from: 'new', to: 'qualified', amount: '1200.50' },
    schemaVersion: 2,
    metadata: {
      tenantId: 'tenant-1',
      actorId: 'user-7',
      actorKind: 'user',
      requestId: 'req-9',
      correlationId: 'corr-1',
      causationId: 'cause-2',
      occurredAt: '2025-03-01T10:00:00.000Z',
      automationDepth: 1,
    },
    streamName: `lead-${leadId}`,
    streamPosition: 4,
    globalPosition: { commit: '18446744073709551615', prepare: '42' },
    recordedAt: '2025-03-01T10:00:00.123Z',
    ...overrides,
  };
}

/** What a consumer receives: header values as Buffers. */
function asReceived(message: ReturnType<typeof encodeEvent>): { key: Buffer | null; value: Buffer | null; headers: IHeaders } {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = Buffer.from(String(value));
  return {
    key: message.key === undefined || message.key === null ? null : Buffer.from(message.key),
    value: message.value === null || message.value === undefined ? null : Buffer.from(message.value),
    headers,
  };
}

function poisonOf(fn: () => unknown): PoisonMessageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PoisonMessageError) return error;
    throw error;
  }
  throw new Error('expected a PoisonMessageError');
}

describe('cloud events (Kafka binary mode)', () => {
  it('keys the message by aggregate id and carries the attributes as ce_ headers', () => {
    const message = encodeEvent(recorded(), 'crm');
    expect(message.key).toBe(leadId);
    expect(JSON.parse(String(message.value))).toEqual(recorded().data);
    expect(message.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: 'f4c3b2a1-0000-4000-8000-000000000001',
      ce_source: 'projectflo/crm',
      ce_type: 'projectflo.crm.LeadStatusChanged',
      ce_subject: `lead-${leadId}`,
      ce_time: '2025-03-01T10:00:00.000Z',
      'content-type': 'application/json',
      ce_schemaversion: '2',
      ce_tenantid: 'tenant-1',
      ce_automationdepth: '1',
      ce_streamposition: '4',
      ce_globalcommit: '18446744073709551615',
      ce_globalprepare: '42',
    });
  });

  it('round-trips a recorded event', () => {
    const event = recorded();
    expect(decodeEvent(asReceived(encodeEvent(event, 'crm')))).toEqual({ ...event, source: 'projectflo/crm' });
  });

  it("carries the actor kind, so a consumer tells a service's event from a user's, and refuses an unknown kind", () => {
    const event = recorded({ metadata: { ...recorded().metadata, actorId: 'system:task-engine', actorKind: 'service' } });
    const message = encodeEvent(event, 'task-engine');
    expect(message.headers?.[CE.actorKind]).toBe('service');
    expect(decodeEvent(asReceived(message)).metadata.actorKind).toBe('service');
    expect(() => decodeEvent(asReceived({ ...message, headers: { ...message.headers, [CE.actorKind]: 'admin' } }))).toThrow(CE.actorKind);
  });

  it('round-trips an event without an automation depth', () => {
    const event = recorded({ metadata: { ...recorded().metadata, automationDepth: undefined } });
    const message = encodeEvent(event, 'task-engine');
    expect(message.headers).not.toHaveProperty(CE.automationDepth);
    const decoded = decodeEvent(asReceived(message));
    expect(decoded.metadata).not.toHaveProperty('automationDepth');
    expect(decoded.type).toBe('LeadStatusChanged');
    expect(decoded.source).toBe('projectflo/task-engine');
  });

  it('rejects a message without a required header, naming it', () => {
    const message = asReceived(encodeEvent(recorded(), 'crm'));
    delete message.headers[CE.tenantId];
    const error = poisonOf(() => decodeEvent(message));
    expect(error.code).toBe('missing-header');
    expect(error.reason).toContain('ce_tenantid');
  });

  it.each([
    [CE.specVersion, '0.3'],
    [CE.type, 'LeadStatusChanged'],
    [CE.time, 'yesterday'],
    [CE.schemaVersion, '0'],
    [CE.streamPosition, '-1'],
    [CE.globalCommit, '12a'],
    [CE.contentType, 'application/avro'],
  ])('rejects an invalid %s header', (header, value) => {
    const message = asReceived(encodeEvent(recorded(), 'crm'));
    message.headers[header] = Buffer.from(value);
    const error = poisonOf(() => decodeEvent(message));
    expect(error.code).toBe('invalid-header');
    expect(error.reason).toContain(header);
  });

  it('rejects a value that is not JSON', () => {
    const message = { ...asReceived(encodeEvent(recorded(), 'crm')), value: Buffer.from('{"leadId": ') };
    expect(poisonOf(() => decodeEvent(message)).code).toBe('invalid-json');
  });

  it('rejects a tombstone (null value)', () => {
    const message = { ...asReceived(encodeEvent(recorded(), 'crm')), value: null };
    expect(poisonOf(() => decodeEvent(message)).code).toBe('missing-value');
  });

  it('rejects a message with no headers at all', () => {
    expect(poisonOf(() => decodeEvent({ value: Buffer.from('{}') })).code).toBe('missing-header');
  });
});
