import type { RecordedEvent } from '@projectflo/platform/core';
import type { RelayMetrics } from '@projectflo/platform/messaging';
import { existsSync } from 'node:fs';
import { DIAGNOSTICS_WORKFLOWS_PATH, type DiagnosticsDependencies, createDiagnosticsActivities } from './diagnostics.activities';

type Status = ReturnType<DiagnosticsDependencies['host']['status']>;

const runningRelay: RelayMetrics = {
  state: 'running',
  published: 12,
  skipped: 1,
  checkpoint: { commit: '901', prepare: '44' },
  pendingEvents: 0,
  lagMs: 0,
  consecutiveFailures: 0,
};

const event = { type: 'BuildDrafted', streamName: 'build-1' } as RecordedEvent;

/** A clock that advances 4 ms per reading, so latencies are predictable. */
function steppingClock(): () => number {
  let t = 0;
  return () => (t += 4);
}

function activities(overrides: Partial<DiagnosticsDependencies> = {}) {
  const status: Status = { relay: runningRelay, consumers: [{ groupId: 'build_ledger.read-model' }] };
  return createDiagnosticsActivities({
    service: 'build-ledger',
    pool: { query: jest.fn().mockResolvedValue({ rows: [{ '?column?': 1 }] }) },
    store: { readAll: jest.fn().mockResolvedValue([event]) },
    host: { status: () => status },
    now: steppingClock(),
    ...overrides,
  });
}

describe('createDiagnosticsActivities', () => {
  it('points at a workflows module that exists', () => {
    expect(existsSync(DIAGNOSTICS_WORKFLOWS_PATH)).toBe(true);
    expect(DIAGNOSTICS_WORKFLOWS_PATH).toMatch(/diagnostics\.workflows\.(ts|js)$/);
  });

  it('names the service and the process', async () => {
    expect(await activities().identifyService()).toEqual({ service: 'build-ledger', host: expect.any(String), pid: process.pid });
  });

  it('reports Postgres latency from select 1', async () => {
    const query = jest.fn().mockResolvedValue({ rows: [] });
    const check = await activities({ pool: { query } }).checkPostgres();
    expect(query).toHaveBeenCalledWith('select 1');
    expect(check).toEqual({ name: 'postgres', ok: true, detail: 'select 1 answered in 4 ms', latencyMs: 4 });
  });

  it('reports a Postgres failure instead of throwing it', async () => {
    const check = await activities({ pool: { query: jest.fn().mockRejectedValue(new Error('connection refused')) } }).checkPostgres();
    expect(check).toMatchObject({ name: 'postgres', ok: false, detail: 'select 1 failed: connection refused' });
  });

  it('reads one event from the start of the log', async () => {
    const readAll = jest.fn().mockResolvedValue([event]);
    const check = await activities({ store: { readAll } }).checkEventStore();
    expect(readAll).toHaveBeenCalledWith({ limit: 1 });
    expect(check).toEqual({ name: 'event-store', ok: true, detail: 'readable in 4 ms; first event BuildDrafted on build-1', latencyMs: 4 });
  });

  it('says so when the event store is empty, and when it cannot be read', async () => {
    expect((await activities({ store: { readAll: jest.fn().mockResolvedValue([]) } }).checkEventStore()).detail).toBe(
      'readable in 4 ms; no events recorded yet',
    );
    const failed = await activities({ store: { readAll: jest.fn().mockRejectedValue(new Error('relation "events" does not exist')) } }).checkEventStore();
    expect(failed).toMatchObject({ ok: false, detail: 'read failed: relation "events" does not exist' });
  });

  it("reports the relay's figures from ServiceHost.status()", async () => {
    expect(await activities().checkRelay()).toEqual({
      name: 'relay',
      ok: true,
      detail: 'running; published 12, pending 0, lag 0 ms',
      state: 'running',
      published: 12,
      skipped: 1,
      pendingEvents: 0,
      lagMs: 0,
      consecutiveFailures: 0,
      checkpoint: '901/44',
      consumerGroups: ['build_ledger.read-model'],
    });
  });

  it('marks a failing or stopped relay as not ok', async () => {
    const failing: RelayMetrics = { ...runningRelay, pendingEvents: 3, lagMs: 5000, consecutiveFailures: 2, lastError: 'broker down' };
    const check = await activities({ host: { status: () => ({ relay: failing, consumers: [] }) } }).checkRelay();
    expect(check).toMatchObject({ ok: false, detail: 'running; published 12, pending 3, lag 5000 ms; 2 failed attempts (broker down)' });

    const stopped = await activities({ host: { status: () => ({ relay: { ...runningRelay, state: 'stopped' }, consumers: [] }) } }).checkRelay();
    expect(stopped.ok).toBe(false);

    const absent = await activities({ host: { status: () => ({ relay: undefined, consumers: [] }) } }).checkRelay();
    expect(absent).toEqual({ name: 'relay', ok: false, detail: 'the relay has not started', consumerGroups: [] });
  });
});
