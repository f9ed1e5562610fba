/**
 * Issue 9: many pending reminders held at once by durable Temporal timers — the memory of the
 * worker and of the Temporal server while they are pending, and the firing lateness against the
 * scheduled times (goal: p99 < 1 s), against a bare timer workflow on the same server in the same run.
 * Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/reminders.bench.ts --count 100000
 * Flags (or env): --count / BENCH_COUNT workflows per case (default 100000), --fire-count (how many
 * of them fire in the window, spread over the indices; the others are scheduled a day later, so
 * they are held pending throughout and deleted at the end; default all), --concurrency /
 * BENCH_CONCURRENCY starts in flight (default 32), --window-seconds (each case's firings are spread
 * evenly over this window; default fire-count / 250, at least 20), --lead-seconds (slack between the
 * expected end of the starts and the first firing, for the workers to set every timer; default a
 * quarter of the expected starts, at least 15), --timeout-seconds (after the last
 * scheduled firing; default 300). Env as the other benches: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * the payload keys (scripts/env.sh).
 *
 * Cases, run AT THE SAME TIME so the shared machine's load hits both alike, each on a worker of its
 * own task queue in a child process of its own (workflows in a thread of their own, as scheduling
 * runs its worker; BENCH_WORKFLOW_THREAD=main runs them in the main thread, the other services' default),
 * each with `count` workflows, started interleaved by this process's client and scheduled at the
 * same instants:
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
 * The window begins after the starts are expected to be done (estimated from a short calibration);
 * "peak pending" says how many were actually held at once. Memory: RSS of each worker process (its
 * own report every second), of this process (the client) and VmRSS of the Temporal server (pid
 * from .infra/pids/temporal.pid or `pgrep -f "temporal server"`). A breakdown of where the
 * lateness went is read from a sample of the workflows' histories.
 * Clean-up: a workflow that fired ends by itself; at the end a batch operation deletes the run's
 * workflows (both task queues, calibration included) from the server, parked (running) ones
 * included. The bench waits for it up to 5 minutes; the server finishes it in any case.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectTestEnvironment, createWorker, OWN_WORKFLOW_THREAD, runWorker, type TemporalTestEnvironment } from '@projectflo/platform/workflow';
import { SCHEDULING_SERVICE_OPTIONS, SCHEDULING_WORKFLOWS_PATH } from '../apps/scheduling/src/scheduling.service-options';
import { TaskTimersStarter, taskTimersWorkflowId } from '../apps/scheduling/src/task-schedules/task-timers.starter';
import type { FireOutcome, LoadedSchedule, TaskTimerActivities, TaskTimersInput } from '../apps/scheduling/src/task-schedules/task-timers.types';
import type { SleepUntilActivities } from './baseline/sleep-until.workflows';
import { timestampMs } from './lib/history';
import { printRatioTable } from './lib/ratio-table';
import { percentile, summarizeLatencies } from './lib/stats';
import { nowMs, runCase, type BenchResult } from './lib/timing';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.BENCH_COUNT ?? '100000' },
    'fire-count': { type: 'string' },
    concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '32' },
    'window-seconds': { type: 'string' },
    'lead-seconds': { type: 'string' },
    'timeout-seconds': { type: 'string', default: '300' },
    // Internal: how this file runs as a case's worker process.
    'worker-case': { type: 'string' },
    queue: { type: 'string' },
  },
});
const COUNT = Number(flags.count);
const CONCURRENCY = Number(flags.concurrency);
/** How many of each case's workflows fire in the window; the others are parked a day later (held pending, deleted at the end). */
const FIRE_COUNT = Math.min(COUNT, Number(flags['fire-count'] ?? COUNT));
const FIRE_STRIDE = Math.max(1, Math.floor(COUNT / FIRE_COUNT));
const PARK_MS = 86_400_000;
const WINDOW_MS = 1000 * Number(flags['window-seconds'] ?? Math.max(20, FIRE_COUNT / 250));
/** The workers must have run every workflow's first task (which sets its timer) before the window begins. */
const leadMs = (expectedStartMs: number) => (flags['lead-seconds'] === undefined ? Math.max(15_000, expectedStartMs / 4) : 1000 * Number(flags['lead-seconds']));
const TIMEOUT_MS = 1000 * Number(flags['timeout-seconds']);
const CALIBRATION = Math.min(200, COUNT);
/** Starts are expected at this fraction of the calibrated rate (the server slows as it fills up). */
const START_RATE_SAFETY = 0.7;
const CASES = ['bare timer', 'taskTimersWorkflow'] as const;
type CaseName = (typeof CASES)[number];
const [BASELINE, SUBJECT] = CASES;
const SAMPLE_MS = 1000;
const CALIBRATION_PREFIX = 'cal-';
const BASELINE_WORKFLOWS_PATH = require.resolve('./baseline/sleep-until.workflows');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : (bytes / 2 ** 20).toFixed(0));

/** Messages between this process and a worker process. */
type ToWorker = { readonly type: 'plan'; readonly run: string; readonly firstFire: number } | { readonly type: 'finish' };
type FromWorker =
  | { readonly type: 'ready'; readonly maxCachedWorkflows: number }
  | { readonly type: 'progress'; readonly fired: number; readonly rss: number; readonly heapUsed: number }
  | { readonly type: 'result'; readonly lateness: number[]; readonly duplicates: number; readonly early: number; readonly firstFireMs: number; readonly lastFireMs: number };

/** Whether the workflow of `index` fires in the window (every FIRE_STRIDE-th, FIRE_COUNT in all). */
const firesInWindow = (index: number) => index % FIRE_STRIDE === 0 && index / FIRE_STRIDE < FIRE_COUNT;

/** When the workflow of `index` is due, the same instants for both cases: spread over the window, or parked a day later. */
const scheduledAt = (firstFire: number, index: number) =>
  new Date(firesInWindow(index) ? firstFire + Math.floor((index / FIRE_STRIDE) * (WINDOW_MS / FIRE_COUNT)) : firstFire + PARK_MS + index).toISOString();

// ---------------------------------------------------------------------------------------------
// The worker process of one case.

/** Which timers fired when, by id; a second firing of the same id is counted, not recorded. */
class FiringCollector {
  private readonly latenessMs = new Map<string, number>();
  duplicates = 0;
  early = 0;
  firstFireMs = Number.POSITIVE_INFINITY;
  lastFireMs = Number.NEGATIVE_INFINITY;

  record(id: string, scheduledFor: string): void {
    const now = Date.now();
    if (id.startsWith(CALIBRATION_PREFIX)) return;
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

/** The subject's fake activities: one pending reminder per task (`<run>-<index>`) until it fired. */
function fakeTaskTimerActivities(collector: FiringCollector, plan: () => { run: string; firstFire: number }): TaskTimerActivities {
  const fired = new Set<string>();
  const pendingOf = (taskId: string) => {
    const { run, firstFire } = plan();
    const firesAt = scheduledAt(firstFire, Number(taskId.slice(run.length + 1)));
    return { timer: { kind: 'reminder' as const, reminderKey: 'P3D', scheduledFor: firesAt }, firesAt };
  };
  return {
    loadSchedule: async ({ taskId }: TaskTimersInput): Promise<LoadedSchedule> => ({ open: true, pending: fired.has(taskId) ? [] : [pendingOf(taskId)] }),
    fireTimer: async ({ taskId, timer }): Promise<FireOutcome> => {
      const pending = pendingOf(taskId);
      if (fired.has(taskId) || JSON.stringify(pending.timer) !== JSON.stringify(timer)) return { outcome: 'stale' };
      const remainingMs = Date.parse(pending.firesAt) - Date.now();
      if (remainingMs > 0) {
        collector.early++;
        return { outcome: 'early', remainingMs };
      }
      collector.record(taskId, pending.firesAt);
      fired.add(taskId);
      return { outcome: 'fired' };
    },
  };
}

async function workerMain(caseName: CaseName, taskQueue: string): Promise<void> {
  const send = (message: FromWorker) => process.send?.(message);
  const collector = new FiringCollector();
  let plan: { run: string; firstFire: number } | undefined;
  const env = await connectTestEnvironment();
  const activities =
    caseName === BASELINE
      ? ({ fired: async (id: string, at: string) => collector.record(id, at) } satisfies SleepUntilActivities)
      : fakeTaskTimerActivities(collector, () => {
          if (!plan) throw new Error('no plan yet');
          return plan;
        });
  const worker = runWorker(
    await createWorker({
      connection: env.nativeConnection,
      namespace: env.config.namespace,
      payloadKeys: env.config.payloadKeys,
      taskQueue,
      workflowsPath: caseName === BASELINE ? BASELINE_WORKFLOWS_PATH : SCHEDULING_WORKFLOWS_PATH,
      activities,
      // Both cases as scheduling runs its worker (ownWorkflowThread); BENCH_WORKFLOW_THREAD=main
      // measures the main-thread default instead.
      ...(process.env.BENCH_WORKFLOW_THREAD === 'main' ? {} : { workerOptions: OWN_WORKFLOW_THREAD }),
    }),
  );
  const report = () => {
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: 'progress', fired: collector.fired, rss, heapUsed });
  };
  const timer = setInterval(report, SAMPLE_MS);
  process.on('message', (message: ToWorker) => {
    if (message.type === 'plan') {
      plan = { run: message.run, firstFire: message.firstFire };
      return;
    }
    clearInterval(timer);
    void (async () => {
      await worker.stop();
      await env.close();
      const result: FromWorker = { type: 'result', lateness: collector.samples(), duplicates: collector.duplicates, early: collector.early, firstFireMs: collector.firstFireMs, lastFireMs: collector.lastFireMs };
      process.send?.(result, () => process.exit(0));
    })();
  });
  report();
  send({ type: 'ready', maxCachedWorkflows: worker.worker.options.maxCachedWorkflows });
}

// ---------------------------------------------------------------------------------------------
// The bench process: client, calibration, starts, sampling, report.

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
  readonly pending: number;
  readonly rss: number;
  readonly heapUsed: number;
}

/** One case's worker process as this process sees it. */
class WorkerProcess {
  readonly child: ChildProcess;
  started = 0;
  fired = 0;
  peakPending = 0;
  maxCachedWorkflows = Number.NaN;
  readonly memory: MemorySample[] = [];
  readonly startLatencies: number[] = [];
  private readonly ready: Promise<void>;
  readonly result: Promise<Extract<FromWorker, { type: 'result' }>>;

  constructor(
    readonly name: CaseName,
    readonly taskQueue: string,
  ) {
    this.child = fork(__filename, [...process.argv.slice(2), '--worker-case', name, '--queue', taskQueue], { execArgv: process.execArgv, stdio: 'inherit' });
    const exited = new Promise<never>((_, reject) => this.child.once('exit', (code) => reject(new Error(`the ${name} worker process exited (code ${code})`))));
    exited.catch(() => undefined);
    this.ready = Promise.race([
      new Promise<void>((resolve) =>
        this.child.on('message', (message: FromWorker) => {
          if (message.type === 'ready') resolve();
        }),
      ),
      exited,
    ]);
    this.result = Promise.race([
      new Promise<Extract<FromWorker, { type: 'result' }>>((resolve) =>
        this.child.on('message', (message: FromWorker) => {
          if (message.type === 'result') resolve(message);
        }),
      ),
      exited,
    ]);
    this.child.on('message', (message: FromWorker) => {
      if (message.type === 'ready') this.maxCachedWorkflows = message.maxCachedWorkflows;
      if (message.type !== 'progress') return;
      this.fired = message.fired;
      this.peakPending = Math.max(this.peakPending, this.pending);
      this.memory.push({ pending: this.pending, rss: message.rss, heapUsed: message.heapUsed });
    });
  }

  get pending(): number {
    return this.started - this.fired;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  send(message: ToWorker): void {
    this.child.send(message);
  }

  /** The sample while the most were pending (the latest such: the workflows' first tasks have run by then). */
  atPeak(): MemorySample | undefined {
    return this.memory.reduce<MemorySample | undefined>((best, s) => (best === undefined || s.pending >= best.pending ? s : best), undefined);
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

const BREAKDOWN_SAMPLE = 100;

/** The breakdown of up to BREAKDOWN_SAMPLE workflows spread over the case (the last timer of each, and what followed it). */
async function breakdownOf(env: TemporalTestEnvironment, workflowIdOf: (index: number) => string, firstFire: number): Promise<{ sampled: number; rows: Breakdown[] }> {
  const step = Math.max(1, Math.floor(FIRE_COUNT / BREAKDOWN_SAMPLE));
  const indices = Array.from({ length: Math.min(BREAKDOWN_SAMPLE, FIRE_COUNT) }, (_, i) => i * step * FIRE_STRIDE);
  const breakdowns: Breakdown[] = [];
  for (const index of indices) {
    const events: readonly HistoryEvent[] = (await env.client.workflow.getHandle(workflowIdOf(index)).fetchHistory()).events ?? [];
    const fired = events.findLastIndex((e) => e.timerFiredEventAttributes);
    const started = events.findLastIndex((e) => e.timerStartedEventAttributes);
    // No timer: the workflow's first task ran after its scheduled time (it fired without waiting).
    if (fired < 0 || started < 0) continue;
    const timerEndMs = timestampMs(events[started].eventTime) + timestampMs(events[started].timerStartedEventAttributes?.startToFireTimeout);
    const after = events.slice(fired);
    const at = (pick: (e: HistoryEvent) => unknown) => timestampMs(after.find(pick)?.eventTime);
    breakdowns.push({
      timerSetLateMs: timerEndMs - Date.parse(scheduledAt(firstFire, index)),
      timerFiredLateMs: timestampMs(events[fired].eventTime) - timerEndMs,
      workflowTaskDispatchMs: at((e) => e.workflowTaskStartedEventAttributes) - at((e) => e.workflowTaskScheduledEventAttributes),
      workflowTaskMs: at((e) => e.workflowTaskCompletedEventAttributes) - at((e) => e.workflowTaskStartedEventAttributes),
      activityDispatchMs: at((e) => e.activityTaskStartedEventAttributes) - at((e) => e.activityTaskScheduledEventAttributes),
    });
  }
  return { sampled: indices.length, rows: breakdowns };
}

function printBreakdown(breakdowns: ReadonlyMap<CaseName, { sampled: number; rows: readonly Breakdown[] }>): void {
  const segments: [string, (b: Breakdown) => number][] = [
    ['timer set late (WFT start → completion)', (b) => b.timerSetLateMs],
    ['server timer late (fired − due)', (b) => b.timerFiredLateMs],
    ['workflow task dispatch after fire', (b) => b.workflowTaskDispatchMs],
    ['workflow task (worker)', (b) => b.workflowTaskMs],
    ['firing activity dispatch', (b) => b.activityDispatchMs],
  ];
  const width = Math.max(...segments.map(([label]) => label.length)) + 22;
  console.log(`\nwhere the lateness went (ms; up to ${BREAKDOWN_SAMPLE} workflows per case spread over the window, from their histories):`);
  console.log(`${'case: segment'.padEnd(width)}    p50    p90    p99    max`);
  for (const [name, { sampled, rows }] of breakdowns) {
    if (rows.length < sampled) console.log(`${name}: ${sampled - rows.length} of ${sampled} sampled had no timer (their first task ran after the scheduled time)`);
    for (const [label, pick] of segments) {
      const values = rows.map(pick).filter(Number.isFinite);
      const cells = [percentile(values, 50), percentile(values, 90), percentile(values, 99), Math.max(...values)];
      console.log(`${`${name}: ${label}`.padEnd(width)}  ${cells.map((v) => v.toFixed(0).padStart(5)).join('  ')}`);
    }
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
  const deadline = nowMs() + 300_000;
  for (;;) {
    const job = await service.describeBatchOperation({ namespace, jobId });
    const state = job.state ?? 0;
    // 1 = RUNNING; 2 COMPLETED, 3 FAILED.
    if (state !== 1 || nowMs() > deadline) {
      console.log(`clean-up: batch deletion ${state === 2 ? 'completed' : state === 1 ? 'still running on the server' : `state ${state}`}: ${String(job.completeOperationCount ?? 0)} deleted, ${String(job.failureOperationCount ?? 0)} failed of ${String(job.totalOperationCount ?? '?')}`);
      return;
    }
    await sleep(2000);
  }
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const tenantId = randomUUID();
  const queues: Record<CaseName, string> = { [BASELINE]: `bench-timer-bare-${run}`, [SUBJECT]: `bench-timer-tasks-${run}` };
  const serverPid = temporalServerPid();
  const env = await connectTestEnvironment();
  const workers = CASES.map((name) => new WorkerProcess(name, queues[name]));
  const [baseline, subject] = workers;
  const serverRss: { pending: number; rss: number | undefined }[] = [];
  const clientRss: number[] = [];
  const sampler = setInterval(() => {
    serverRss.push({ pending: baseline.pending + subject.pending, rss: serverPid === undefined ? undefined : vmRssBytes(serverPid) });
    clientRss.push(process.memoryUsage().rss);
  }, SAMPLE_MS);
  try {
    await Promise.all(workers.map((w) => w.whenReady()));
    const serverBefore = serverPid === undefined ? undefined : vmRssBytes(serverPid);
    const workersBefore = workers.map((w) => w.memory[0]?.rss);
    // Calibration: how fast this server starts bare timer workflows now (they fire at once and are not counted).
    const calibration = await runCase({
      name: 'calibration',
      group: 'start',
      operations: CALIBRATION,
      concurrency: CONCURRENCY,
      operation: async (index) => {
        const id = `${CALIBRATION_PREFIX}${index}`;
        await env.client.workflow.start('benchSleepUntilWorkflow', { taskQueue: queues[BASELINE], workflowId: `bench-timer-${run}-${id}`, args: [id, new Date().toISOString()] });
      },
    });
    const expectedStartMs = (1000 * 2 * COUNT) / (calibration.itemsPerSecond * START_RATE_SAFETY);
    const firstFire = Date.now() + expectedStartMs + leadMs(expectedStartMs);
    for (const w of workers) w.send({ type: 'plan', run, firstFire });
    console.log(
      `reminders bench: ${COUNT} timers per case held, ${FIRE_COUNT} of them firing in the window (the rest parked a day later), ` +
        `both cases at once (${2 * COUNT} workflows), starts ${CONCURRENCY} in flight ` +
        `(calibrated ${calibration.itemsPerSecond.toFixed(0)} starts/s, expecting ${(expectedStartMs / 1000).toFixed(0)} s of starts), ` +
        `firings from ${new Date(firstFire).toISOString()} over ${WINDOW_MS / 1000} s (${(FIRE_COUNT / (WINDOW_MS / 1000)).toFixed(1)} firings/s per case), ` +
        `task queues ${queues[BASELINE]} / ${queues[SUBJECT]}, Temporal server pid ${serverPid ?? 'not found'}`,
    );

    const starter = new TaskTimersStarter(
      { client: env.client, connection: env.connection, payloadKeys: env.config.payloadKeys, close: async () => undefined },
      { ...SCHEDULING_SERVICE_OPTIONS, worker: { taskQueue: queues[SUBJECT], workflowsPath: SCHEDULING_WORKFLOWS_PATH } },
    );
    const workflowIdOf: Record<CaseName, (index: number) => string> = {
      [BASELINE]: (index) => `bench-timer-bare-${run}-${index}`,
      [SUBJECT]: (index) => taskTimersWorkflowId({ tenantId, taskId: `${run}-${index}` }),
    };
    const starts: Record<CaseName, (index: number) => Promise<unknown>> = {
      [BASELINE]: (index) =>
        env.client.workflow.start('benchSleepUntilWorkflow', { taskQueue: queues[BASELINE], workflowId: workflowIdOf[BASELINE](index), args: [String(index), scheduledAt(firstFire, index)] }),
      [SUBJECT]: (index) => starter.signal({ tenantId, taskId: `${run}-${index}` }),
    };
    const startPhase = await runCase({
      name: 'both',
      group: 'start',
      operations: 2 * COUNT,
      concurrency: CONCURRENCY,
      operation: async (i) => {
        const w = workers[i % 2];
        const begin = nowMs();
        await starts[w.name](Math.floor(i / 2));
        w.startLatencies.push(nowMs() - begin);
        w.started++;
      },
    });
    const lastStartMs = Date.now();
    const firedDuringStarts = workers.map((w) => w.fired);
    const deadline = firstFire + WINDOW_MS + TIMEOUT_MS;
    for (let lastLog = 0; workers.some((w) => w.fired < FIRE_COUNT); ) {
      if (Date.now() > deadline) throw new Error(`timers had not fired ${TIMEOUT_MS / 1000} s after the window: ${workers.map((w) => `${w.name} ${w.fired}/${FIRE_COUNT}`).join(', ')}`);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        console.log(`  ${new Date().toISOString()} fired: ${workers.map((w) => `${w.name} ${w.fired}/${FIRE_COUNT}`).join(', ')}`);
      }
      await sleep(250);
    }
    const breakdowns = new Map<CaseName, { sampled: number; rows: Breakdown[] }>();
    for (const w of workers) breakdowns.set(w.name, await breakdownOf(env, workflowIdOf[w.name], firstFire));
    for (const w of workers) w.send({ type: 'finish' });
    const results = await Promise.all(workers.map((w) => w.result));

    const table: BenchResult[] = [];
    workers.forEach((w, i) => {
      const { lateness, firstFireMs, lastFireMs } = results[i];
      const spanSeconds = Math.max(lastFireMs - firstFireMs, 1) / 1000;
      table.push({ name: w.name, group: 'start (interleaved)', concurrency: CONCURRENCY, items: COUNT, seconds: startPhase.seconds, itemsPerSecond: COUNT / startPhase.seconds, latency: summarizeLatencies(w.startLatencies) });
      table.push({ name: w.name, group: 'firing', concurrency: COUNT, items: FIRE_COUNT, seconds: spanSeconds, itemsPerSecond: FIRE_COUNT / spanSeconds, latency: summarizeLatencies(lateness) });
    });
    console.log('');
    printRatioTable(table.sort((a, b) => b.group.localeCompare(a.group)), { baseline: BASELINE, unit: 'timers' });

    console.log(`\nfiring lateness (ms, worker clock at the firing activity − scheduled time):`);
    console.log(`${'case'.padEnd(20)}${['fired', 'p50', 'p95', 'p99', 'max', 'early', 'twice', 'during starts'].map((h) => h.padStart(14)).join('')}`);
    workers.forEach((w, i) => {
      const { lateness, early, duplicates } = results[i];
      const cells = [lateness.length, percentile(lateness, 50), percentile(lateness, 95), percentile(lateness, 99), Math.max(...lateness), early, duplicates, firedDuringStarts[i]];
      console.log(`${w.name.padEnd(20)}${cells.map((c) => c.toFixed(0).padStart(14)).join('')}`);
    });
    printBreakdown(breakdowns);

    const serverPeak = serverRss.reduce((best, s) => (s.pending >= best.pending ? s : best), serverRss[0]);
    console.log(`\nmemory (MiB; each case's worker is a process of its own; the Temporal server is shared by both cases and anything else running):`);
    console.log(`${'process'.padEnd(28)}${['peak pending', 'RSS before', 'at peak pending', 'max', 'heap at peak'].map((h) => h.padStart(16)).join('')}`);
    workers.forEach((w, i) => {
      const peak = w.atPeak();
      const cells = [String(w.peakPending), mb(workersBefore[i]), mb(peak?.rss), mb(Math.max(...w.memory.map((s) => s.rss))), mb(peak?.heapUsed)];
      console.log(`${`worker: ${w.name}`.padEnd(28)}${cells.map((c) => c.padStart(16)).join('')}`);
    });
    const serverCells = [String(serverPeak?.pending ?? 0), mb(serverBefore), mb(serverPeak?.rss), mb(Math.max(...serverRss.map((s) => s.rss ?? Number.NaN))), ''];
    console.log(`${'Temporal server'.padEnd(28)}${serverCells.map((c) => c.padStart(16)).join('')}`);
    console.log(`${'bench client (this process)'.padEnd(28)}${['', mb(clientRss[0]), '', mb(Math.max(...clientRss)), ''].map((c) => c.padStart(16)).join('')}`);
    console.log(`worker cache: maxCachedWorkflows ${workers.map((w) => `${w.name} ${w.maxCachedWorkflows}`).join(', ')} (SDK default)`);

    const p = (i: number, q: number) => percentile(results[i].lateness, q);
    console.log(`\nlateness ratio ${SUBJECT} / ${BASELINE}: p50 ${(p(1, 50) / p(0, 50)).toFixed(2)}x, p95 ${(p(1, 95) / p(0, 95)).toFixed(2)}x, p99 ${(p(1, 99) / p(0, 99)).toFixed(2)}x`);
    console.log(
      `goal p99 < 1000 ms: ${SUBJECT} p99 ${p(1, 99).toFixed(0)} ms — ${p(1, 99) < 1000 ? 'met' : 'NOT met'} (baseline p99 ${p(0, 99).toFixed(0)} ms); ` +
        `${subject.peakPending} + ${baseline.peakPending} held at once, first firing ${((Math.min(...results.map((r) => r.firstFireMs)) - lastStartMs) / 1000).toFixed(1)} s after the last start`,
    );
  } finally {
    clearInterval(sampler);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill();
    await deleteWorkflows(env, Object.values(queues)).catch((error: unknown) => console.error("could not delete the run's workflows", error));
    await env.close();
  }
}

const workerCase = flags['worker-case'];
const entry = workerCase === undefined ? main() : workerMain(workerCase as CaseName, flags.queue ?? '');
entry.catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
  if (workerCase !== undefined) process.exit(1);
});
