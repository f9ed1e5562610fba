import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkHealth, toTimestamp } from '@projectflo/platform/grpc';
import { eventually } from '@projectflo/platform/testing';
import { Pool } from 'pg';
import { endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { enrolOwnerOnTaskEngine } from './support/users';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// A Temporal server restart with expansions in flight: external events are ingested just before
// and while the server is down. Ingestion only writes the event store; the trigger consumer
// records each expansion request in its own transaction and the dispatcher starts the workflows
// once Temporal answers again. Afterwards every expansion has completed with the full task set
// and no duplicates, and the service never restarted.

const ROOT = join(__dirname, '..', '..');
const TEMPLATES = 6;
const BEFORE = 12;
/** At least this many ingested while the restart runs (and more, one every 200 ms, until it is over). */
const DURING = 5;
const run = randomBytes(4).toString('hex');
const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
let tasks: ServiceProcess;

beforeAll(async () => {
  tasks = await ServiceProcess.create('task-engine', run);
  await tasks.start();
});

afterAll(async () => {
  await endRun(run, [tasks]);
  await pool.end();
});

/** The Temporal server's pid as `infra.sh status` reports it: proves a restart really happened. */
async function temporalPid(): Promise<string | undefined> {
  const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts', 'infra.sh'), 'status']);
  return /^temporal\s+up\b.*\[pid (\d+)\]/m.exec(stdout)?.[1];
}

/** TaskCreated events per subject in the task-engine's store: [subject, events, distinct tasks]. */
async function creationsBySubject(tenantId: string): Promise<Map<string, { total: number; distinct: number }>> {
  const { rows } = await pool.query<{ subject: string; total: string; distinct: string }>(
    `SELECT data->'source'->>'subjectId' AS subject, count(*) AS total, count(DISTINCT stream_name) AS distinct
       FROM "${tasks.schema}".events WHERE tenant_id = $1 AND type = 'TaskCreated' GROUP BY 1`,
    [tenantId],
  );
  return new Map(rows.map((r) => [r.subject, { total: Number(r.total), distinct: Number(r.distinct) }]));
}

it('completes every expansion exactly once across a Temporal restart', async () => {
  const t = newTenant();
  // No crm in this run: the task-engine is told about the owner as crm would tell it.
  await enrolOwnerOnTaskEngine(tasks, t);
  await tasks.call('DefineEventType', { eventType: 'shoot.booked', name: 'Shoot booked' }, t.headers());
  for (let i = 0; i < TEMPLATES; i++) {
    await tasks.call('CreateTaskTemplate', {
      template: { key: `step-${i}`, trigger: { eventType: 'shoot.booked' }, name: `Step ${i}`, dueOffset: { days: 1, anchor: 'DUE_ANCHOR_TRIGGER_TIME' } },
    }, t.headers());
  }
  const ingest = (subject: string) =>
    tasks.call('IngestExternalEvent', {
      eventType: 'shoot.booked', subjectId: subject, payloadJson: '{}', occurredAt: toTimestamp(new Date()), idempotencyKey: `${subject}-${run}`,
    }, t.headers());
  const subjects: string[] = [];
  const ingestNext = async () => {
    const subject = `shoot-${run}-${subjects.length}`;
    await ingest(subject);
    subjects.push(subject);
  };
  const pidBefore = tasks.pid;
  const temporalBefore = await temporalPid();
  expect(temporalBefore).toBeDefined();

  for (let i = 0; i < BEFORE; i++) await ingestNext();
  let restarted = false;
  const restart = promisify(execFile)('bash', [join(ROOT, 'scripts', 'infra.sh'), 'restart', 'temporal']).finally(() => {
    restarted = true;
  });
  // Ingestion needs no Temporal: these are acknowledged while the server stops and starts.
  while (!restarted || subjects.length < BEFORE + DURING) {
    await ingestNext();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await restart;
  expect(await temporalPid()).not.toBe(temporalBefore);

  const done = await eventually(
    () => creationsBySubject(t.tenantId),
    (bySubject) => subjects.every((s) => (bySubject.get(s)?.distinct ?? 0) >= TEMPLATES),
    { timeoutMs: 180_000, intervalMs: 1_000, what: `${subjects.length} expansions of ${TEMPLATES} tasks each` },
  );
  expect(new Map(subjects.map((s) => [s, done.get(s)]))).toEqual(new Map(subjects.map((s) => [s, { total: TEMPLATES, distinct: TEMPLATES }])));
  const { rows } = await pool.query(`SELECT workflow_id FROM "${tasks.schema}".expansion_requests`);
  expect(rows).toEqual([]);
  expect(tasks.pid).toBe(pidBefore);
  expect(await checkHealth(tasks.address, '', 2_000)).toBe('SERVING');
});
