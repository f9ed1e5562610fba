import { randomBytes, randomUUID } from 'node:crypto';
import { ConsistencyNotReached, type WrittenEvent } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { inboxDdl, recordDeadLetteredEntry } from '@projectflo/platform/messaging';
import { Pool } from 'pg';
import { DomainError, DomainErrorCode, FixedClock } from '@projectflo/platform/core';
import { InboxConsistencyWait, MAX_WAITING } from './consistency-wait';

// The consistency wait against a real inbox table: it resolves only once every group that handles
// a token's event holds it, and otherwise ends at the server's bound or the caller's deadline. The
// clock is moved by the wait's own sleep, so no test waits for real time.

const schema = `consistency_it_${randomBytes(4).toString('hex')}`;
const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
const TOPIC = 'crm.lead.v1';

/** A read model that handles LeadCaptured, and an automation that handles LeadStatusChanged; both read crm.lead.v1. */
const consumers = {
  readModels: [
    { groupId: 'crm.read-model', handles: (topic: string, type: string) => topic === TOPIC && ['LeadCaptured', 'LeadStatusChanged'].includes(type) },
    { groupId: 'crm.automation', handles: (topic: string, type: string) => topic === TOPIC && type === 'LeadStatusChanged' },
  ],
};

function written(type: string): WrittenEvent {
  return { topic: TOPIC, type, eventId: randomUUID() };
}

async function process(group: string, event: WrittenEvent): Promise<void> {
  await pool.query(`INSERT INTO "${schema}".inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset) VALUES ($1, $2, $3, $4, 0, 0)`, [
    group,
    event.eventId,
    event.type,
    event.topic,
  ]);
}

/** A wait whose sleeps move the clock and run `onSleep` (what happens elsewhere meanwhile). */
function waitWith(onSleep: (slept: number) => Promise<void> = async () => undefined) {
  const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
  let sleeps = 0;
  const wait = new InboxConsistencyWait({
    pool,
    schema,
    consumers,
    clock,
    maxWaitMs: 1_000,
    sleep: async (ms) => {
      clock.advance(ms);
      await onSleep(++sleeps);
    },
  });
  return { wait, clock, sleeps: () => sleeps, far: clock.now().getTime() + 60_000 };
}

beforeAll(async () => {
  for (const statement of inboxDdl(schema)) await pool.query(statement);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

it('answers at once when every group that handles the events holds them', async () => {
  const captured = written('LeadCaptured');
  await process('crm.read-model', captured);
  const { wait, sleeps, far } = waitWith();
  await wait.waitFor([captured], far);
  expect(sleeps()).toBe(0);
});

it('waits for every group that handles the event, and only for those', async () => {
  const changed = written('LeadStatusChanged');
  await process('crm.read-model', changed);
  // The automation's inbox gets it on the third look.
  const { wait, sleeps, far } = waitWith(async (slept) => {
    if (slept === 2) await process('crm.automation', changed);
  });
  await wait.waitFor([changed], far);
  expect(sleeps()).toBe(2);
});

it('does not wait for events no consumer of the service handles (another topic, an unhandled type)', async () => {
  const { wait, sleeps, far } = waitWith();
  await wait.waitFor([{ topic: 'tasks.task.v1', type: 'TaskCreated', eventId: randomUUID() }, written('LeadArchived')], far);
  expect(sleeps()).toBe(0);
});

it('answers FAILED_PRECONDITION at once when a group dead-lettered the event, naming the group, the event and why', async () => {
  const changed = written('LeadStatusChanged');
  await process('crm.read-model', changed);
  // Dead-lettered, redriven, dead-lettered again: the latest reason is the one told.
  const tx = { query: async (sql: string, params?: readonly unknown[]) => (await pool.query(sql, params ? [...params] : undefined)).rows };
  const entry = { consumerGroup: 'crm.automation', eventId: changed.eventId, eventType: changed.type, topic: changed.topic, partition: 0 };
  await recordDeadLetteredEntry(tx, schema, { ...entry, offset: '7', reason: 'retries-exhausted: Error: an old bug' });
  await recordDeadLetteredEntry(tx, schema, { ...entry, offset: '9', reason: 'retries-exhausted: Error: bug' });
  const { wait, sleeps, far } = waitWith();
  const error = await wait.waitFor([changed], far).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(DomainErrorCode.FailedPrecondition);
  expect((error as DomainError).message).toContain(`crm.automation dead-lettered event ${changed.eventId}`);
  expect((error as DomainError).message).toContain('retries-exhausted: Error: bug');
  expect(sleeps()).toBe(0);
  // Once redriven and handled, the inbox holds it and the token is reached.
  await process('crm.automation', changed);
  await wait.waitFor([changed], far);
});

it("ends at the server's bound with the groups still behind", async () => {
  const changed = written('LeadStatusChanged');
  await process('crm.read-model', changed);
  const { wait, far } = waitWith();
  const error = await wait.waitFor([changed], far).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConsistencyNotReached);
  expect((error as ConsistencyNotReached).ending).toBe('bound');
  expect((error as ConsistencyNotReached).behind).toEqual(['crm.automation']);
  expect((error as ConsistencyNotReached).waitedMs).toBeGreaterThanOrEqual(1_000);
});

it("ends at the caller's deadline when it comes before the bound", async () => {
  const captured = written('LeadCaptured');
  const { wait, clock } = waitWith();
  const error = await wait.waitFor([captured], clock.now().getTime() + 200).catch((e: unknown) => e);
  expect((error as ConsistencyNotReached).ending).toBe('deadline');
  expect((error as ConsistencyNotReached).behind).toEqual(['crm.read-model']);
  expect((error as ConsistencyNotReached).waitedMs).toBeLessThan(1_000);
});

it('stops waiting when the caller cancels', async () => {
  const cancel = new AbortController();
  const { wait, far, sleeps } = waitWith(async (slept) => {
    if (slept === 2) cancel.abort();
  });
  const error = await wait.waitFor([written('LeadCaptured')], far, cancel.signal).catch((e: unknown) => e);
  expect((error as Error).name).toBe('AbortError');
  expect(sleeps()).toBe(2);
});

it(`refuses a wait beyond ${MAX_WAITING} at once as RESOURCE_EXHAUSTED`, async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
  const event = written('LeadCaptured');
  const wait = new InboxConsistencyWait({ pool, schema, consumers, clock, sleep: () => released });
  const held = Array.from({ length: MAX_WAITING }, () => wait.waitFor([event], clock.now().getTime() + 60_000).catch((e: unknown) => e));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const refused = await wait.waitFor([event], clock.now().getTime() + 60_000).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(DomainError);
  expect((refused as DomainError).code).toBe(DomainErrorCode.ResourceExhausted);
  await process('crm.read-model', event);
  release();
  expect(await Promise.all(held)).toEqual(Array.from({ length: MAX_WAITING }, () => undefined));
});
