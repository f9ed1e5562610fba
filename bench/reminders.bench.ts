/**
 * Issue 9: many pending reminders held at once by durable Temporal timers — the memory of the
 * worker and of the Temporal server while they are pending, and the firing lateness against the
 * scheduled times (goal: p99 < 1 s), against a bare timer workflow on the same server in the same run.
 * Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/reminders.bench.ts --count 100000
 * Flags (or env): --count / BENCH_COUNT workflows per case (default 100000), --concurrency /
 * BENCH_CONCURRENCY starts in flight (default 32), --window-seconds (the firings are spread evenly
 * over this window; default count / 250, at least 20), --lead-seconds (slack between the expected
 * end of the starts and the first firing; default 15), --timeout-seconds (after the last scheduled
 * firing; default 300), --only baseline|subject. Env as the other benches: TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, the payload keys (scripts/env.sh).
 *
 * Cases, one after the other, each on a worker of its own task queue hosted in this process
 * (default worker options, as the services run it), each with `count` workflows:
 *   bare timer       baseline (bench/baseline/sleep-until.workflows.ts): sleeps until its scheduled
 *                    time, then runs one activity that records the worker's clock
 *   taskTimersWorkflow  the subject: scheduling's real workflow (apps/scheduling/src/task-schedules),
 *                    started as the service starts it (TaskTimersStarter: signalWithStart, search
 *                    attributes, summary), one task per workflow with one pending reminder. Its two
 *                    activities are in-memory fakes, not the event-sourced ones: loadSchedule answers
 *                    the reminder until it fired, fireTimer records the worker's clock (and answers
 *                    'early' before the time, as the real one does). So the figures are Temporal's
 *                    and the workflow's, not Postgres's.
 * Lateness = the worker's clock when the firing activity runs − the scheduled time (same host).
 * Each case's scheduled times are spread over the window, which begins after the starts are
 * expected to be done (estimated from a short calibration); "peak pending" says how many were
 * actually held at once. Memory: RSS of this process (worker + client) and VmRSS of the Temporal
 * server (pid from .infra/pids/temporal.pid or `pgrep -f "temporal server"`), sampled every second.
 * Clean-up: every workflow ends by itself once fired; at the end a batch operation deletes the
 * run's workflows (both task queues) from the server, running ones included.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectTestEnvironment, createWorker, runWorker, type RunningWorker, type TemporalTestEnvironment } from '@projectflo/platform/workflow';
import type { PendingTimer } from '@projectflo/scheduling/domain';
import { SCHEDULING_SERVICE_OPTIONS, SCHEDULING_WORKFLOWS_PATH } from '../apps/scheduling/src/scheduling.service-options';
import { TaskTimersStarter, taskTimersWorkflowId } from '../apps/scheduling/src/task-schedules/task-timers.starter';
import type { FireOutcome, LoadedSchedule, TaskTimerActivities, TaskTimersInput } from '../apps/scheduling/src/task-schedules/task-timers.types';
import type { SleepUntilActivities } from './baseline/sleep-until.workflows';
import { printRatioTable } from './lib/ratio-table';
import { percentile, summarizeLatencies } from './lib/stats';
import { nowMs, runCase, type BenchResult } from './lib/timing';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.BENCH_COUNT ?? '100000' },
    concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '32' },
    'window-seconds': { type: 'string' },
    'lead-seconds': { type: 'string', default: '15' },
    'timeout-seconds': { type: 'string', default: '300' },
    only: { type: 'string' },
  },
});
const COUNT = Number(flags.count);
const CONCURRENCY = Number(flags.concurrency);
const WINDOW_MS = 1000 * Number(flags['window-seconds'] ?? Math.max(20, COUNT / 250));
const LEAD_MS = 1000 * Number(flags['lead-seconds']);
const TIMEOUT_MS = 1000 * Number(flags['timeout-seconds']);
const CALIBRATION = Math.min(200, COUNT);
/** Starts are expected at this fraction of the calibrated rate (the server slows as it fills up). */
const START_RATE_SAFETY = 0.5;
const BASELINE = 'bare timer';
const SUBJECT = 'taskTimersWorkflow';
const SAMPLE_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Which timers fired when, by id; a second firing of the same id is counted, not recorded. */
class FiringCollector {
  private readonly latenessMs = new Map<string, number>();
  duplicates = 0;
  early = 0;
  firstFireMs = Number.POSITIVE_INFINITY;
  lastFireMs = Number.NEGATIVE_INFINITY;

  record(id: string, scheduledFor: string): void {
    const now = Date.now();
    if (this.latenessMs.has(id)) {
      this.duplicates++;
      return;
    }
    this.latenessMs.set(id, now - Date.parse(scheduledFor));
    this.firstFireMs = Math.min(this.firstFireMs, now);
    this.lastFireMs = Math.max(this.lastFireMs, now);
  }

  get fired(): number {
    return this.latenessMs.size;
  }

  samples(): number[] {
    return [...this.latenessMs.values()];
  }
}

/** The Temporal server's pid: the one infra.sh recorded, else the running `temporal server`. */
function temporalServerPid(): number | undefined {
  try {
    const pid = Number(readFileSync(join(__dirname, '..', '.infra', 'pids', 'temporal.pid'), 'utf8').trim());
    if (pid > 0 && vmRssBytes(pid) !== undefined) return pid;
  } catch {
    // not started by infra.sh here: look for it
  }
  try {
    const pid = Number(execFileSync('pgrep', ['-o', '-f', 'temporal server'], { encoding: 'utf8' }).trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function vmRssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface MemorySample {
  readonly atMs: number;
  readonly pending: number;
  readonly workerRss: number;
  readonly workerHeap: number;
  readonly serverRss: number | undefined;
}

/** Samples memory every second while a case runs. */
function sampleMemory(serverPid: number | undefined, pending: () => number): { samples: MemorySample[]; stop(): void } {
  const samples: MemorySample[] = [];
  const take = () => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ atMs: Date.now(), pending: pending(), workerRss: rss, workerHeap: heapUsed, serverRss: serverPid === undefined ? undefined : vmRssBytes(serverPid) });
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
    },
  };
}

interface CaseOutcome {
  readonly start: BenchResult;
  readonly firing: BenchResult;
  readonly lateness: readonly number[];
  readonly memory: readonly MemorySample[];
  readonly peakPending: number;
  /** Firings that happened before the last start: those were not all pending at once. */
  readonly firedDuringStarts: number;
  readonly duplicates: number;
  readonly early: number;
  readonly firstFireAfterLastStartMs: number;
  readonly maxCachedWorkflows: number;
  readonly breakdown: readonly Breakdown[];
}

interface CaseDefinition {
  readonly name: string;
  readonly taskQueue: string;
  readonly workflowsPath: string;
  readonly activities: (collector: FiringCollector) => object;
  readonly start: (index: number, scheduledFor: string) => Promise<void>;
  readonly workflowIdOf: (index: number) => string;
}

async function runTimerCase(env: TemporalTestEnvironment, definition: CaseDefinition, startsPerSecond: number, serverPid: number | undefined): Promise<CaseOutcome> {
  const collector = new FiringCollector();
  const worker: RunningWorker = runWorker(
    await createWorker({
      connection: env.nativeConnection,
      namespace: env.config.namespace,
      payloadKeys: env.config.payloadKeys,
      taskQueue: definition.taskQueue,
      workflowsPath: definition.workflowsPath,
      activities: definition.activities(collector),
    }),
  );
  let started = 0;
  const memory = sampleMemory(serverPid, () => started - collector.fired);
  try {
    const expectedStartMs = (1000 * COUNT) / (startsPerSecond * START_RATE_SAFETY);
    const firstFire = Date.now() + expectedStartMs + LEAD_MS;
    const scheduledFor = (index: number) => new Date(firstFire + Math.floor((index * WINDOW_MS) / COUNT)).toISOString();
    console.log(
      `${definition.name}: starting ${COUNT} (${CONCURRENCY} in flight, expecting ${(expectedStartMs / 1000).toFixed(0)} s), ` +
        `firings from ${new Date(firstFire).toISOString()} over ${WINDOW_MS / 1000} s, task queue ${definition.taskQueue}`,
    );
    const start = await runCase({
      name: definition.name,
      group: 'start',
      operations: COUNT,
      concurrency: CONCURRENCY,
      operation: async (index) => {
        await definition.start(index, scheduledFor(index));
        started++;
      },
    });
    const lastStartMs = Date.now();
    const firedDuringStarts = collector.fired;
    const deadline = firstFire + WINDOW_MS + TIMEOUT_MS;
    let peakPending = 0;
    for (let lastLog = 0; collector.fired < COUNT; ) {
      peakPending = Math.max(peakPending, started - collector.fired);
      if (Date.now() > deadline) throw new Error(`${definition.name}: ${COUNT - collector.fired} of ${COUNT} timers had not fired ${TIMEOUT_MS / 1000} s after the window`);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        console.log(`  ${new Date().toISOString()} ${collector.fired}/${COUNT} fired`);
      }
      await sleep(200);
    }
    const breakdown = await breakdownOf(env, definition, scheduledFor);
    const peak = Math.max(peakPending, ...memory.samples.map((s) => s.pending));
    const lateness = collector.samples();
    const spanSeconds = Math.max(collector.lastFireMs - collector.firstFireMs, 1) / 1000;
    return {
      start,
      firing: { name: definition.name, group: 'firing', concurrency: COUNT, items: COUNT, seconds: spanSeconds, itemsPerSecond: COUNT / spanSeconds, latency: summarizeLatencies(lateness) },
      lateness,
      memory: memory.samples,
      peakPending: peak,
      firedDuringStarts,
      duplicates: collector.duplicates,
      early: collector.early,
      firstFireAfterLastStartMs: collector.firstFireMs - lastStartMs,
      maxCachedWorkflows: worker.worker.options.maxCachedWorkflows,
      breakdown,
    };
  } finally {
    memory.stop();
    await worker.stop();
  }
}

/** Where one firing's lateness went, from the workflow's history (server clock, same host as the worker). */
interface Breakdown {
  /** The timer ends this long after the scheduled time by construction: it is set when the workflow task completes, for a duration computed from the task's start. */
  readonly timerSetLateMs: number;
  /** TimerFired − (TimerStarted + its duration): the server's own timer lateness. */
  readonly timerFiredLateMs: number;
  /** TimerFired → the next workflow task started: dispatch to the worker. */
  readonly workflowTaskDispatchMs: number;
  /** That workflow task, started → completed (the worker's turn, a replay if the workflow was evicted). */
  readonly workflowTaskMs: number;
  /** The firing activity, scheduled → started. */
  readonly activityDispatchMs: number;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<TemporalTestEnvironment['client']['workflow']['getHandle']>['fetchHistory']>>['events']>[number];

function timestampMs(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined): number {
  if (!ts) return Number.NaN;
  return Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6;
}

const BREAKDOWN_SAMPLE = 100;

/** The breakdown of up to BREAKDOWN_SAMPLE workflows spread over the case (the last timer of each, and what followed it). */
async function breakdownOf(env: TemporalTestEnvironment, definition: CaseDefinition, scheduledFor: (index: number) => string): Promise<Breakdown[]> {
  const step = Math.max(1, Math.floor(COUNT / BREAKDOWN_SAMPLE));
  const indices = Array.from({ length: Math.min(BREAKDOWN_SAMPLE, COUNT) }, (_, i) => i * step);
  const breakdowns = await Promise.all(
    indices.map(async (index): Promise<Breakdown | undefined> => {
      const events: readonly HistoryEvent[] = (await env.client.workflow.getHandle(definition.workflowIdOf(index)).fetchHistory()).events ?? [];
      const fired = events.findLastIndex((e) => e.timerFiredEventAttributes);
      const started = events.findLastIndex((e) => e.timerStartedEventAttributes);
      if (fired < 0 || started < 0) return undefined;
      const timeout = events[started].timerStartedEventAttributes?.startToFireTimeout;
      const timerEndMs = timestampMs(events[started].eventTime) + timestampMs(timeout);
      const after = events.slice(fired);
      const wftStarted = after.find((e) => e.workflowTaskStartedEventAttributes);
      const wftCompleted = after.find((e) => e.workflowTaskCompletedEventAttributes);
      const wftScheduled = after.find((e) => e.workflowTaskScheduledEventAttributes);
      const activityScheduled = after.find((e) => e.activityTaskScheduledEventAttributes);
      const activityStarted = after.find((e) => e.activityTaskStartedEventAttributes);
      return {
        timerSetLateMs: timerEndMs - Date.parse(scheduledFor(index)),
        timerFiredLateMs: timestampMs(events[fired].eventTime) - timerEndMs,
        workflowTaskDispatchMs: timestampMs(wftStarted?.eventTime) - timestampMs(wftScheduled?.eventTime),
        workflowTaskMs: timestampMs(wftCompleted?.eventTime) - timestampMs(wftStarted?.eventTime),
        activityDispatchMs: timestampMs(activityStarted?.eventTime) - timestampMs(activityScheduled?.eventTime),
      };
    }),
  );
  return breakdowns.filter((b): b is Breakdown => b !== undefined);
}

function printBreakdown(outcomes: readonly (readonly [string, CaseOutcome])[]): void {
  const segments: [string, (b: Breakdown) => number][] = [
    ['timer set late (WFT start → completion)', (b) => b.timerSetLateMs],
    ['server timer late (fired − due)', (b) => b.timerFiredLateMs],
    ['workflow task dispatch after fire', (b) => b.workflowTaskDispatchMs],
    ['workflow task (worker)', (b) => b.workflowTaskMs],
    ['firing activity dispatch', (b) => b.activityDispatchMs],
  ];
  const width = Math.max(...segments.map(([label]) => label.length)) + 22;
  console.log(`
where the lateness went (ms; ${BREAKDOWN_SAMPLE} workflows per case spread over the window, from their histories):`);
  console.log(`${'case / segment'.padEnd(width)}    p50    p90    p99    max`);
  for (const [name, o] of outcomes) {
    for (const [label, pick] of segments) {
      const values = o.breakdown.map(pick).filter(Number.isFinite);
      const cells = [percentile(values, 50), percentile(values, 90), percentile(values, 99), Math.max(...values)];
      console.log(`${`${name}: ${label}`.padEnd(width)}  ${cells.map((v) => v.toFixed(0).padStart(5)).join('  ')}`);
    }
  }
}

/** Memory while the most were pending (the latest such sample: the workflows' first tasks have run by then). */
function pendingSample(outcome: CaseOutcome): MemorySample {
  return outcome.memory.reduce((best, s) => (s.pending >= best.pending ? s : best), outcome.memory[0]);
}

function printMemory(outcomes: readonly (readonly [string, CaseOutcome])[]): void {
  console.log(`\nmemory (MiB; this process hosts the case's worker and the client; the Temporal server is shared with anything else running):`);
  console.log(`${'case'.padEnd(20)}  ${['peak pending', 'worker RSS before', 'at peak pending', 'max', 'heap at peak', 'server RSS before', 'at peak pending', 'max'].map((h) => h.padStart(18)).join('')}`);
  for (const [name, o] of outcomes) {
    const before = o.memory[0];
    const atPeak = pendingSample(o);
    const serverMax = Math.max(...o.memory.map((s) => s.serverRss ?? Number.NaN));
    const cells = [
      String(o.peakPending),
      mb(before.workerRss),
      mb(atPeak.workerRss),
      mb(Math.max(...o.memory.map((s) => s.workerRss))),
      mb(atPeak.workerHeap),
      before.serverRss === undefined ? 'n/a' : mb(before.serverRss),
      atPeak.serverRss === undefined ? 'n/a' : mb(atPeak.serverRss),
      Number.isFinite(serverMax) ? mb(serverMax) : 'n/a',
    ];
    console.log(`${name.padEnd(20)}  ${cells.map((c) => c.padStart(18)).join('')}`);
  }
}

function printLateness(outcomes: readonly (readonly [string, CaseOutcome])[]): void {
  console.log(`\nfiring lateness (ms, worker clock at the firing activity − scheduled time):`);
  console.log(`${'case'.padEnd(20)}  ${['fired', 'p50', 'p95', 'p99', 'max', 'early', 'twice', 'during starts'].map((h) => h.padStart(14)).join('')}`);
  for (const [name, o] of outcomes) {
    const cells = [o.lateness.length, percentile(o.lateness, 50), percentile(o.lateness, 95), percentile(o.lateness, 99), Math.max(...o.lateness), o.early, o.duplicates, o.firedDuringStarts];
    console.log(`${name.padEnd(20)}  ${cells.map((c) => c.toFixed(0).padStart(14)).join('')}`);
  }
}

/** Deletes (terminating first where still running) every workflow of the run's task queues; waits for it up to a bound. */
async function deleteWorkflows(env: TemporalTestEnvironment, taskQueues: readonly string[]): Promise<void> {
  const jobId = `bench-reminders-cleanup-${randomUUID()}`;
  const { namespace } = env.config;
  const service = env.client.workflowService;
  await service.startBatchOperation({
    namespace,
    jobId,
    reason: 'reminders bench clean-up',
    visibilityQuery: taskQueues.map((q) => `TaskQueue = '${q}'`).join(' OR '),
    deletionOperation: {},
  });
  const deadline = nowMs() + 600_000;
  for (;;) {
    const job = await service.describeBatchOperation({ namespace, jobId });
    const state = job.state ?? 0;
    // 1 = RUNNING; 2 COMPLETED, 3 FAILED.
    if (state !== 1 || nowMs() > deadline) {
      console.log(`clean-up: batch deletion ${state === 2 ? 'completed' : `state ${state}`}: ${String(job.completeOperationCount ?? 0)} deleted, ${String(job.failureOperationCount ?? 0)} failed of ${String(job.totalOperationCount ?? '?')}`);
      return;
    }
    await sleep(2000);
  }
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const tenantId = randomUUID();
  const baselineQueue = `bench-timer-bare-${run}`;
  const subjectQueue = `bench-timer-tasks-${run}`;
  const serverPid = temporalServerPid();
  const env = await connectTestEnvironment();
  try {
    // Calibration: how fast this server starts bare timer workflows now (they fire at once, and are not counted).
    const calibrationCollector = new FiringCollector();
    const calibrationWorker = runWorker(
      await createWorker({
        connection: env.nativeConnection,
        namespace: env.config.namespace,
        payloadKeys: env.config.payloadKeys,
        taskQueue: baselineQueue,
        workflowsPath: require.resolve('./baseline/sleep-until.workflows'),
        activities: { fired: async (id: string, at: string) => calibrationCollector.record(id, at) } satisfies SleepUntilActivities,
      }),
    );
    const calibration = await runCase({
      name: 'calibration',
      group: 'start',
      operations: CALIBRATION,
      concurrency: CONCURRENCY,
      operation: async (index) => {
        await env.client.workflow.start('benchSleepUntilWorkflow', { taskQueue: baselineQueue, workflowId: `bench-timer-cal-${run}-${index}`, args: [`cal-${index}`, new Date().toISOString()] });
      },
    });
    while (calibrationCollector.fired < CALIBRATION) await sleep(100);
    await calibrationWorker.stop();
    console.log(
      `reminders bench: ${COUNT} timers per case, starts ${CONCURRENCY} in flight (calibrated ${calibration.itemsPerSecond.toFixed(0)} starts/s), ` +
        `window ${WINDOW_MS / 1000} s (${(COUNT / (WINDOW_MS / 1000)).toFixed(0)} firings/s scheduled), Temporal server pid ${serverPid ?? 'not found'}`,
    );

    const starter = new TaskTimersStarter(
      { client: env.client, connection: env.connection, payloadKeys: env.config.payloadKeys, close: async () => undefined },
      { ...SCHEDULING_SERVICE_OPTIONS, worker: { taskQueue: subjectQueue, workflowsPath: SCHEDULING_WORKFLOWS_PATH } },
    );
    const baseline: CaseDefinition = {
      name: BASELINE,
      taskQueue: baselineQueue,
      workflowsPath: require.resolve('./baseline/sleep-until.workflows'),
      activities: (collector) => ({ fired: async (id: string, at: string) => collector.record(id, at) }) satisfies SleepUntilActivities,
      start: async (index, scheduledFor) => {
        await env.client.workflow.start('benchSleepUntilWorkflow', { taskQueue: baselineQueue, workflowId: baseline.workflowIdOf(index), args: [String(index), scheduledFor] });
      },
      workflowIdOf: (index) => `bench-timer-bare-${run}-${index}`,
    };
    /** The subject's schedules: one pending reminder per task until it fired. */
    const schedules = new Map<string, PendingTimer>();
    const subject: CaseDefinition = {
      name: SUBJECT,
      taskQueue: subjectQueue,
      workflowsPath: SCHEDULING_WORKFLOWS_PATH,
      activities: (collector): TaskTimerActivities => ({
        loadSchedule: async ({ taskId }: TaskTimersInput): Promise<LoadedSchedule> => {
          const pending = schedules.get(taskId);
          return { open: true, pending: pending ? [pending] : [] };
        },
        fireTimer: async ({ taskId, timer }): Promise<FireOutcome> => {
          const pending = schedules.get(taskId);
          if (!pending || JSON.stringify(pending.timer) !== JSON.stringify(timer)) return { outcome: 'stale' };
          const remainingMs = Date.parse(pending.firesAt) - Date.now();
          if (remainingMs > 0) {
            collector.early++;
            return { outcome: 'early', remainingMs };
          }
          collector.record(taskId, pending.firesAt);
          schedules.delete(taskId);
          return { outcome: 'fired' };
        },
      }),
      start: async (index, scheduledFor) => {
        const taskId = `${run}-${index}`;
        schedules.set(taskId, { timer: { kind: 'reminder', reminderKey: 'P3D', scheduledFor }, firesAt: scheduledFor });
        await starter.signal({ tenantId, taskId });
      },
      workflowIdOf: (index) => taskTimersWorkflowId({ tenantId, taskId: `${run}-${index}` }),
    };

    const outcomes: (readonly [string, CaseOutcome])[] = [];
    for (const definition of [baseline, subject]) {
      if (flags.only && flags.only !== (definition === baseline ? 'baseline' : 'subject')) continue;
      outcomes.push([definition.name, await runTimerCase(env, definition, calibration.itemsPerSecond, serverPid)]);
    }

    console.log('');
    printRatioTable(
      outcomes.flatMap(([, o]) => [o.start, o.firing]).sort((a, b) => a.group.localeCompare(b.group) * -1),
      { baseline: BASELINE, unit: 'timers' },
    );
    printLateness(outcomes);
    printBreakdown(outcomes);
    printMemory(outcomes);
    const found = new Map(outcomes);
    const base = found.get(BASELINE);
    const subj = found.get(SUBJECT);
    if (base && subj) {
      const ratio = (p: number) => (percentile(subj.lateness, p) / percentile(base.lateness, p)).toFixed(2);
      console.log(`\nlateness ratio ${SUBJECT} / ${BASELINE}: p50 ${ratio(50)}x, p95 ${ratio(95)}x, p99 ${ratio(99)}x`);
    }
    if (subj) {
      const p99 = percentile(subj.lateness, 99);
      console.log(`goal p99 < 1000 ms: ${SUBJECT} p99 ${p99.toFixed(0)} ms — ${p99 < 1000 ? 'met' : 'NOT met'} (${subj.peakPending} held at once, first firing ${(subj.firstFireAfterLastStartMs / 1000).toFixed(1)} s after the last start)`);
    }
  } finally {
    await deleteWorkflows(env, [baselineQueue, subjectQueue]).catch((error: unknown) => console.error('could not delete the run\'s workflows', error));
    await env.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
