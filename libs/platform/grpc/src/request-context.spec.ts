import { Metadata } from '@grpc/grpc-js';
import { DomainError, DomainErrorCode, FixedClock } from '@projectflo/platform/core';
import { commandContext, queryContext, REQUEST_HEADERS, requestFingerprint, toCommandMetadata } from './request-context';

function metadata(headers: Record<string, string>): Metadata {
  const m = new Metadata();
  for (const [k, v] of Object.entries(headers)) m.set(k, v);
  return m;
}

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('request context', () => {
  const TENANT = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
  const caller = { 'x-tenant-id': TENANT, 'x-actor-id': 'user-7' };

  it('reads tenant, actor and the optional ids of a query', () => {
    expect(queryContext(metadata({ ...caller, 'x-correlation-id': 'c-1' }))).toEqual({ tenantId: TENANT, actorId: 'user-7', correlationId: 'c-1' });
  });

  it.each([['x-tenant-id'], ['x-actor-id']])('rejects a call without %s as UNAUTHENTICATED', (name) => {
    const headers: Record<string, string> = { ...caller };
    delete headers[name];
    const error = failure(() => queryContext(metadata(headers)));
    expect(error.code).toBe(DomainErrorCode.Unauthenticated);
    expect(error.message).toContain(name);
  });

  it('rejects a call without any metadata as UNAUTHENTICATED', () => {
    expect(failure(() => queryContext(undefined)).code).toBe(DomainErrorCode.Unauthenticated);
  });

  it('requires x-request-id on a command, naming it as the violated field', () => {
    const error = failure(() => commandContext(metadata(caller), {}));
    expect(error.code).toBe(DomainErrorCode.InvalidArgument);
    expect(error.fieldViolations.map((v) => v.field)).toEqual(['x-request-id']);
  });

  it('rejects malformed ids and depths as INVALID_ARGUMENT naming the header', () => {
    expect(failure(() => queryContext(metadata({ ...caller, 'x-tenant-id': 'a b' }))).fieldViolations[0]?.field).toBe('x-tenant-id');
    expect(queryContext(metadata({ ...caller, 'x-actor-id': 'sam@example.com' })).actorId).toBe('sam@example.com');
    expect(failure(() => commandContext(metadata({ ...caller, 'x-request-id': 'r'.repeat(129) }), {})).fieldViolations[0]?.field).toBe('x-request-id');
    expect(failure(() => queryContext(metadata({ ...caller, 'x-automation-depth': '-1' }))).fieldViolations[0]?.field).toBe('x-automation-depth');
  });

  it.each([['x-tenant-id'], ['x-actor-id'], ['x-request-id'], ['x-correlation-id'], ['x-causation-id'], ['x-automation-depth']])(
    'rejects hostile text in %s as INVALID_ARGUMENT naming the header',
    (name) => {
      for (const value of ['a b', '%00', "'; DROP TABLE events; --", '${jndi:ldap://x}', 'x'.repeat(129)]) {
        const error = failure(() => commandContext(metadata({ ...caller, 'x-request-id': 'r-1', [name]: value }), {}));
        expect(error.code).toBe(DomainErrorCode.InvalidArgument);
        expect(error.fieldViolations.map((v) => v.field)).toEqual([name]);
      }
    },
  );

  it('never sees U+0000 or other control characters in a header: grpc-js refuses them before any handler', () => {
    for (const value of ['a\u0000b', 'a\u0001b', 'é']) expect(() => new Metadata().set(REQUEST_HEADERS.actorId, value)).toThrow(/illegal characters/);
  });

  it('builds core CommandMetadata with the clock time', () => {
    const clock = new FixedClock(new Date('2025-03-01T10:00:00Z'));
    const request = { leadId: 'l-1' };
    const context = commandContext(metadata({ ...caller, 'x-request-id': 'req-1', 'x-automation-depth': '2', 'x-causation-id': 'evt-1' }), request);
    expect(toCommandMetadata(context, clock)).toEqual({
      tenantId: TENANT,
      actorId: 'user-7',
      requestId: 'req-1',
      requestFingerprint: requestFingerprint(request),
      causationId: 'evt-1',
      automationDepth: 2,
      now: new Date('2025-03-01T10:00:00Z'),
    });
  });

  it.each([
    ['not-a-uuid'],
    ['tenant-1'],
    ['5E1D2C3B-4A59-4687-9A0B-1C2D3E4F5A6B'],
    ['studio@example.com'],
  ])('rejects the tenant id %s on queries and commands alike: it must be a lower-case UUID', (tenantId) => {
    const headers = { ...caller, 'x-tenant-id': tenantId, 'x-request-id': 'req-1' };
    for (const read of [() => queryContext(metadata(headers)), () => commandContext(metadata(headers), {})]) {
      const error = failure(read);
      expect(error.code).toBe(DomainErrorCode.InvalidArgument);
      expect(error.fieldViolations.map((v) => v.field)).toEqual(['x-tenant-id']);
    }
  });

  it('fingerprints a request by content: key order does not matter, any field does', () => {
    expect(requestFingerprint({ a: 1, b: { c: ['x'], d: null } })).toBe(requestFingerprint({ b: { d: null, c: ['x'] }, a: 1 }));
    expect(requestFingerprint({ a: 1, b: { c: ['x'] } })).not.toBe(requestFingerprint({ a: 1, b: { c: ['y'] } }));
    expect(requestFingerprint({ temperature: 'LEAD_TEMPERATURE_HOT' })).not.toBe(requestFingerprint({ temperature: 'LEAD_TEMPERATURE_COLD' }));
  });
});
