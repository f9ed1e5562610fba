import { Metadata } from '@grpc/grpc-js';
import type { Principal } from '@projectflo/platform/auth';
import { DomainError, DomainErrorCode, FixedClock } from '@projectflo/platform/core';
import { admitCaller, commandContext, queryContext, REQUEST_HEADERS, requestFingerprint, toCommandMetadata } from './request-context';

const TENANT = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const ADA: Principal = { tenantId: TENANT, userId: 'user-7', roles: ['manager'], kind: 'user', expiresAt: new Date('2026-03-01T11:00:00Z') };

/** Metadata of a call the gate admitted for `principal` (null: a call that never passed the gate). */
function metadata(headers: Record<string, string>, principal: Principal | null = ADA): Metadata {
  const m = new Metadata();
  for (const [k, v] of Object.entries(headers)) m.set(k, v);
  if (principal !== null) admitCaller(m, principal);
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
  it('takes tenant, actor and roles from the admitted caller, and the optional ids from the headers', () => {
    expect(queryContext(metadata({ 'x-correlation-id': 'c-1' }))).toEqual({
      tenantId: TENANT,
      actorId: 'user-7',
      actorKind: 'user',
      roles: ['manager'],
      correlationId: 'c-1',
    });
  });

  it('no longer trusts x-tenant-id or x-actor-id: the admitted caller wins', () => {
    const context = queryContext(metadata({ 'x-tenant-id': '00000000-0000-4000-8000-000000000000', 'x-actor-id': 'mallory' }));
    expect(context).toMatchObject({ tenantId: TENANT, actorId: 'user-7' });
  });

  it('fails closed: metadata the gate did not admit, or none, is UNAUTHENTICATED even with identity headers', () => {
    const forged = metadata({ 'x-tenant-id': TENANT, 'x-actor-id': 'user-7', 'x-request-id': 'r-1' }, null);
    for (const read of [() => queryContext(forged), () => commandContext(forged, {}), () => queryContext(undefined)]) {
      expect(failure(read).code).toBe(DomainErrorCode.Unauthenticated);
    }
  });

  it('takes a service identity as the actor, marked as a service', () => {
    const service: Principal = { ...ADA, userId: 'service:task-engine', roles: [], kind: 'service' };
    expect(queryContext(metadata({}, service))).toMatchObject({ actorId: 'service:task-engine', actorKind: 'service', roles: [] });
  });

  it('requires x-request-id on a command, naming it as the violated field', () => {
    const error = failure(() => commandContext(metadata({}), {}));
    expect(error.code).toBe(DomainErrorCode.InvalidArgument);
    expect(error.fieldViolations.map((v) => v.field)).toEqual(['x-request-id']);
  });

  it('rejects malformed ids and depths as INVALID_ARGUMENT naming the header', () => {
    expect(failure(() => commandContext(metadata({ 'x-request-id': 'r'.repeat(129) }), {})).fieldViolations[0]?.field).toBe('x-request-id');
    expect(failure(() => queryContext(metadata({ 'x-automation-depth': '-1' }))).fieldViolations[0]?.field).toBe('x-automation-depth');
  });

  it.each([['x-request-id'], ['x-correlation-id'], ['x-causation-id'], ['x-automation-depth']])(
    'rejects hostile text in %s as INVALID_ARGUMENT naming the header',
    (name) => {
      for (const value of ['a b', '%00', "'; DROP TABLE events; --", '${jndi:ldap://x}', 'x'.repeat(129)]) {
        const error = failure(() => commandContext(metadata({ 'x-request-id': 'r-1', [name]: value }), {}));
        expect(error.code).toBe(DomainErrorCode.InvalidArgument);
        expect(error.fieldViolations.map((v) => v.field)).toEqual([name]);
      }
    },
  );

  it('never sees U+0000 or other control characters in a header: grpc-js refuses them before any handler', () => {
    for (const value of ['a\u0000b', 'a\u0001b', 'é']) expect(() => new Metadata().set(REQUEST_HEADERS.requestId, value)).toThrow(/illegal characters/);
  });

  it("ignores a person's x-automation-depth: only a service's automation continues a chain", () => {
    expect(queryContext(metadata({ 'x-automation-depth': '99' })).automationDepth).toBeUndefined();
  });

  it('builds core CommandMetadata with the clock time', () => {
    const clock = new FixedClock(new Date('2025-03-01T10:00:00Z'));
    const request = { leadId: 'l-1' };
    const service: Principal = { tenantId: TENANT, userId: 'service:task-engine', roles: [], kind: 'service', expiresAt: new Date('2026-03-01T11:00:00Z') };
    const context = commandContext(metadata({ 'x-request-id': 'req-1', 'x-automation-depth': '2', 'x-causation-id': 'evt-1' }, service), request);
    expect(toCommandMetadata(context, clock)).toEqual({
      tenantId: TENANT,
      actorId: 'service:task-engine',
      actorKind: 'service',
      requestId: 'req-1',
      requestFingerprint: requestFingerprint({ actor: 'service:task-engine', request }),
      causationId: 'evt-1',
      automationDepth: 2,
      now: new Date('2025-03-01T10:00:00Z'),
    });
  });

  it("fingerprints a command with its actor: another user's same request is not a replay", () => {
    const request = { leadId: 'l-1' };
    const bea: Principal = { ...ADA, userId: 'user-8' };
    const byAda = commandContext(metadata({ 'x-request-id': 'req-1' }), request).requestFingerprint;
    expect(commandContext(metadata({ 'x-request-id': 'req-1' }), { leadId: 'l-1' }).requestFingerprint).toBe(byAda);
    expect(commandContext(metadata({ 'x-request-id': 'req-1' }, bea), request).requestFingerprint).not.toBe(byAda);
  });

  it('fingerprints a request by content: key order does not matter, any field does', () => {
    expect(requestFingerprint({ a: 1, b: { c: ['x'], d: null } })).toBe(requestFingerprint({ b: { d: null, c: ['x'] }, a: 1 }));
    expect(requestFingerprint({ a: 1, b: { c: ['x'] } })).not.toBe(requestFingerprint({ a: 1, b: { c: ['y'] } }));
    expect(requestFingerprint({ temperature: 'LEAD_TEMPERATURE_HOT' })).not.toBe(requestFingerprint({ temperature: 'LEAD_TEMPERATURE_COLD' }));
  });
});
