import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { encodeEvent } from './cloud-events';
import { EventConsumer } from './consumer';
import { redriveMarkGroup } from './dead-letters';
import { deleteKafkaResources, dropSchema, recordedEvent, runId, testKafka, testPool, waitFor } from './messaging.test-support';
import { ensureTopics, withAdmin } from './topics';
import { PgUnitOfWork } from './unit-of-work';

jest.setTimeout(180_000);

const REPO_ROOT = join(__dirname, '../../../..');

/** Runs scripts/dead-letters.ts as an operator would; resolves with its exit code and output. */
function deadLettersCommand(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'scripts/dead-letters.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

type NoteEvents = { type: 'NoteAdded'; data: { noteId: string; body: string } };

describe('scripts/dead-letters.ts against real Kafka and Postgres', () => {
  const id = runId();
  const schema = `msg_dead_letters_${id}`;
  const topic = `test.dead-letters-${id}.v1`;
  const buggyGroup = `test-dead-letters-buggy-${id}`;
  const healthyGroup = `test-dead-letters-healthy-${id}`;
  const dlq = `${buggyGroup}.dlq`;
  let kafka: Kafka;
  let pool: Pool;
  let producer: Producer;
  const consumers: EventConsumer<NoteEvents>[] = [];

  beforeAll(async () => {
    kafka = testKafka(`dead-letters-int-${id}`);
    pool = testPool();
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.notes (consumer_group text NOT NULL, note_id text NOT NULL, body text NOT NULL, PRIMARY KEY (consumer_group, note_id))`);
    await withAdmin(kafka, (admin) => ensureTopics(admin, [topic]));
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await producer?.disconnect();
    await deleteKafkaResources(kafka, [topic, dlq, `${healthyGroup}.dlq`], [buggyGroup, healthyGroup, redriveMarkGroup(dlq)]);
    await dropSchema(pool, schema);
    await pool.end();
  });

  /** A consumer writing each note once per group; `broken` decides whether a note hits a bug. */
  function noteConsumer(groupId: string, broken: (body: string) => boolean): EventConsumer<NoteEvents> {
    const consumer = new EventConsumer<NoteEvents>({
      kafka,
      groupId,
      topics: [topic],
      unitOfWork: new PgUnitOfWork(pool),
      schema,
      retry: { initialMs: 20, maxMs: 100 },
      maxAttempts: 2,
    }).on('NoteAdded', async (event, tx) => {
      if (broken(event.data.body)) throw new TypeError(`cannot handle ${event.data.body}`);
      await tx.query(`INSERT INTO ${schema}.notes (consumer_group, note_id, body) VALUES ($1, $2, $3)`, [groupId, event.data.noteId, event.data.body]);
    });
    consumers.push(consumer);
    return consumer;
  }

  const notesOf = async (groupId: string): Promise<string[]> =>
    (await pool.query<{ body: string }>(`SELECT body FROM ${schema}.notes WHERE consumer_group = $1 ORDER BY body`, [groupId])).rows.map((r) => r.body);

  it('lists a dead letter, redrives it once the bug is fixed, and every group ends with each note once', async () => {
    let fixed = false;
    const buggy = noteConsumer(buggyGroup, (body) => body === 'b' && !fixed);
    const healthy = noteConsumer(healthyGroup, () => false);
    const notes = ['a', 'b', 'c'].map((body, i) => encodeEvent(recordedEvent(`note-${randomUUID()}`, 'NoteAdded', { noteId: randomUUID(), body }, i + 1), 'test'));
    await producer.send({ topic, acks: -1, messages: notes.map((m) => ({ ...m, key: 'one-partition' })) });
    await Promise.all([buggy.start(), healthy.start()]);
    await waitFor('the buggy group to process a and c and dead-letter b', () => buggy.metrics().processed === 2 && buggy.metrics().deadLettered === 1);
    await waitFor('the healthy group to process all three', () => healthy.metrics().processed === 3);
    expect(await notesOf(buggyGroup)).toEqual(['a', 'c']);

    const listed = await deadLettersCommand('list', dlq);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toContain(`${dlq}: 1 dead letters, 1 pending`);
    expect(listed.stdout).toMatch(new RegExp(`^0:0 +pending .* ${topic.replace(/\./g, '\\.')}\\[\\d\\]@1 .*group=${buggyGroup} .*NoteAdded .*class=TypeError .*attempts=2 .*reason: retries-exhausted: TypeError: cannot handle b$`, 'm'));

    // The fix is deployed; the operator redrives.
    fixed = true;
    const redriven = await deadLettersCommand('redrive', dlq);
    expect(redriven).toMatchObject({ code: 0, stderr: '' });
    expect(redriven.stdout).toContain(`redriven 0:0 -> ${topic}[`);
    expect(redriven.stdout).toContain(`${dlq}: 1 dead letters redriven`);
    await waitFor('the buggy group to process the redriven b', () => buggy.metrics().processed === 3);
    await waitFor('the healthy group to skip it as a duplicate', () => healthy.metrics().duplicates === 1);
    expect(await notesOf(buggyGroup)).toEqual(['a', 'b', 'c']);
    expect(await notesOf(healthyGroup)).toEqual(['a', 'b', 'c']);

    // Redriving everything again sends nothing: the mark moved past it.
    const again = await deadLettersCommand('redrive', dlq);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain(`${dlq}: 0 dead letters redriven`);
    expect((await deadLettersCommand('list', dlq)).stdout).toMatch(/: 1 dead letters, 0 pending\n0:0 +redriven /);

    // One dead letter by offset is sent regardless of the mark; both groups' inboxes skip it.
    const one = await deadLettersCommand('redrive', dlq, '--offset', '0');
    expect(one).toMatchObject({ code: 0 });
    expect(one.stdout).toContain(`${dlq}: 1 dead letters redriven`);
    await waitFor('both groups to skip the second redrive', () => buggy.metrics().duplicates === 1 && healthy.metrics().duplicates === 2);
    expect(await notesOf(buggyGroup)).toEqual(['a', 'b', 'c']);
    expect(buggy.metrics()).toMatchObject({ processed: 3, deadLettered: 1 });
  });

  it('refuses bad usage with exit 2 and an unknown dead letter with exit 1', async () => {
    expect(await deadLettersCommand('purge', dlq)).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: dead-letters.ts') });
    expect(await deadLettersCommand('redrive', dlq, '--offset', 'x')).toMatchObject({ code: 2 });
    expect(await deadLettersCommand('redrive', dlq, '--offset', '99')).toMatchObject({ code: 1, stderr: expect.stringContaining('no dead letter at partition 0, offset 99') });
  });
});
