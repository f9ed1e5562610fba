/**
 * What a lead-status expansion costs end to end, against the cheapest Temporal round trip on the
 * same server. Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/expansion.bench.ts
 * Env: MIGRATION_DATABASE_URL, KAFKA_BROKERS, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (defaults: the local
 * infra), BENCH_TRIALS sequential trials per case (default 30), BENCH_N runs in the burst case
 * (default 60), BENCH_CONCURRENCY baseline workflows in flight in the burst case (default 8),
 * BENCH_TIMEOUT_MS per wait (default 120000), BENCH_LOG_LEVEL of the task-engine (default error).
 * It boots its own task-engine (own schema, consumer groups and task queue) and its own worker,
 * and drops, deletes and stops all of them at the end.
 *
 * Cases (a "run" is one baseline workflow, or one trigger expanded into its 5 tasks):
 *   bare workflow   baseline: a workflow that runs one no-op activity on a worker of its own task
 *                   queue (same process, same server); latency = client.workflow.start → result
 *   expansion       the task-engine booted in-process (bootstrapGrpcService, as the integration
 *                   test does) with 5 templates on one lead status; a crm LeadStatusChanged (fresh
 *                   lead and event id) is published to crm.lead.v1; latency = producer.send
 *                   acknowledged → all 5 tasks in the read model, found by polling the `tasks`
 *                   table directly over SQL every 20 ms (so figures carry up to 20 ms of polling)
 * Groups: `sequential` (one at a time) and `burst` (baseline: BENCH_N workflows with
 * BENCH_CONCURRENCY in flight; expansion: BENCH_N triggers published in one send, timed from the
 * send until all BENCH_N × 5 tasks are visible). A breakdown of the sequential expansions, from
 * each workflow's history, follows the table. p99 is nearest-rank: with 30 trials it is the max.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { temporal as proto } from '@temporalio/proto';
import type { Message } from 'kafkajs';
import { Pool } from 'pg';
import { grpcServerContract, GRPC_CONTRACTS, PROTO_ROOT, tasksV1 } from '@projectflo/contracts';
import type { RecordedEvent } from '@projectflo/platform/core';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { encodeEvent } from '@projectflo/platform/messaging';
import { connectTestEnvironment, createWorker, runWorker, type RunningWorker, type TemporalTestEnvironment, workflowId } from '@projectflo/platform/workflow';
import { TaskEngineAppModule } from '../apps/task-engine/src/app.module';
import { Caller, freePort, TestIssuer, TestTopics } from '@projectflo/platform/testing';
import { enrolUser, taskEngineConsumerGroups } from '../apps/task-engine/src/testing/task-engine.test-support';
import { timestampMs } from './lib/history';
import { printRatioTable } from './lib/ratio-table';
import { summarizeLatencies } from './lib/stats';
import { nowMs, runCase, type BenchResult } from './lib/timing';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 30);
const N = Number(process.env.BENCH_N ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TEMPLATES = 5;
const WARMUP = 3;
const POLL_MS = 20;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 120_000);
const BASELINE = 'bare workflow';
const CRM_LEAD_TOPIC = 'crm.lead.v1';

const DATABASE_URL = process.env.MIGRATION_DATABASE_URL ?? 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo';

// The baseline workflow lives in a throwaway module: the bundler needs a file, and this bench
// file (Node-only imports) cannot be one.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = TIMEOUT_MS, pollMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

interface Trigger {
  readonly leadId: string;
  readonly eventId: string;
  readonly message: Message;
}

/** A crm LeadStatusChanged as crm's relay would publish it (CloudEvents headers, keyed by lead id). */
function leadStatusChanged(tenantId: string, fromStatusId: string, toStatusId: string): Trigger {
  const leadId = randomUUID();
  const eventId = randomUUID();
  const now = new Date().toISOString();
  const requestId = randomUUID();
  const event: RecordedEvent = {
    eventId,
    type: 'LeadStatusChanged',
    data: { leadId, fromStatusId, toStatusId, reason: 'signed', changedAt: now, changedBy: 'user-bench' },
    schemaVersion: 1,
    metadata: { tenantId, actorId: 'user-bench', requestId, correlationId: requestId, causationId: requestId, occurredAt: now },
    streamName: `lead-${leadId}`,
    streamPosition: 1,
    globalPosition: { commit: '1', prepare: '1' },
    recordedAt: now,
  };
  return { leadId, eventId, message: encodeEvent(event, 'crm') };
}

/** Where one expansion spent its time, from the client's clock and the workflow's history (same host, same clock). */
interface Breakdown {
  /** send ack → WorkflowExecutionStarted: Kafka fetch, subjects upsert + inbox tx, StartWorkflowExecution. */
  readonly consumerHopMs: number;
  /** WorkflowExecutionStarted → the last step completed (activity, or the workflow task that ran local activities): the tasks' events are in the store. */
  readonly activitiesMs: number;
  /** The steps' own work (SQL, appends): ActivityTaskStarted → Completed, and WorkflowTaskStarted → Completed of a task that ran local activities. */
  readonly activityWorkMs: number;
  /** Each WorkflowTaskScheduled → WorkflowTaskStarted and ActivityTaskScheduled → ActivityTaskStarted. */
  readonly workflowTaskDispatchMs: readonly number[];
  readonly activityDispatchMs: readonly number[];
  /** Local activities (markers), which have no dispatch of their own. */
  readonly localActivities: number;
  /** Last step completed → all tasks visible: relay (woken by the append), Kafka, read-model projection. */
  readonly projectionTailMs: number;
}

/** The marker the Temporal core records for a local activity's result. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

type HistoryEvents = readonly proto.api.history.v1.IHistoryEvent[];

function expansionHandle(temporal: TemporalTestEnvironment, tenantId: string, trigger: Trigger) {
  return temporal.client.workflow.getHandle(workflowId('tasks', tenantId, 'lead-status', trigger.leadId, trigger.eventId));
}

/** Waits for the expansion to finish (its completion may come after the tasks are visible), then reads its history. */
async function historyOf(temporal: TemporalTestEnvironment, tenantId: string, trigger: Trigger): Promise<HistoryEvents> {
  const handle = expansionHandle(temporal, tenantId, trigger);
  await handle.result();
  return (await handle.fetchHistory()).events ?? [];
}

function breakdownOf(events: HistoryEvents, ackMs: number, visibleMs: number): Breakdown {
  const started = timestampMs(events.find((e) => e.workflowExecutionStartedEventAttributes)?.eventTime);
  const scheduledAt = new Map<string, number>();
  const startedAt = new Map<string, number>();
  const workflowTaskMs = new Map<string, number>();
  const workflowTasksWithLocal = new Set<string>();
  const workflowTaskDispatchMs: number[] = [];
  const activityDispatchMs: number[] = [];
  let localActivities = 0;
  let activityWorkMs = 0;
  let lastStepDone = Number.NaN;
  for (const e of events) {
    const t = timestampMs(e.eventTime);
    if (e.workflowTaskScheduledEventAttributes || e.activityTaskScheduledEventAttributes) scheduledAt.set(String(e.eventId), t);
    const wft = e.workflowTaskStartedEventAttributes;
    if (wft) {
      workflowTaskDispatchMs.push(t - (scheduledAt.get(String(wft.scheduledEventId)) ?? Number.NaN));
      startedAt.set(String(e.eventId), t);
    }
    const wftDone = e.workflowTaskCompletedEventAttributes;
    if (wftDone) workflowTaskMs.set(String(e.eventId), t - (startedAt.get(String(wftDone.startedEventId)) ?? Number.NaN));
    const act = e.activityTaskStartedEventAttributes;
    if (act) {
      activityDispatchMs.push(t - (scheduledAt.get(String(act.scheduledEventId)) ?? Number.NaN));
      startedAt.set(String(act.scheduledEventId), t);
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      activityWorkMs += t - (startedAt.get(String(done.scheduledEventId)) ?? Number.NaN);
      lastStepDone = t;
    }
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      localActivities++;
      workflowTasksWithLocal.add(String(marker.workflowTaskCompletedEventId));
      lastStepDone = t;
    }
  }
  for (const id of workflowTasksWithLocal) activityWorkMs += workflowTaskMs.get(id) ?? Number.NaN;
  return {
    consumerHopMs: started - ackMs,
    activitiesMs: lastStepDone - started,
    activityWorkMs,
    workflowTaskDispatchMs,
    activityDispatchMs,
    localActivities,
    projectionTailMs: visibleMs - lastStepDone,
  };
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const schema = `bench_exp_${run}`;
  const taskEngineQueue = `bench-exp-${run}`;
  const baselineQueue = `bench-noop-${run}`;
  const tenantId = randomUUID();
  const fromStatus = randomUUID();
  const booked = randomUUID();
  const workflowsPath = require.resolve('./baseline/noop.workflows');

  const pool = new Pool({ connectionString: DATABASE_URL, max: 2, application_name: 'expansion-bench' });
  // Its own topics (KAFKA_TOPIC_PREFIX): on a platform that has been used, new consumer groups on the
  // shared topics would first read their whole history; these start empty and are deleted at the end.
  const topics = new TestTopics(`bench-exp-${run}.`);
  const kafka = topics.client(`expansion-bench-${run}`);
  const producer = kafka.producer();
  let env: TemporalTestEnvironment | undefined;
  let worker: RunningWorker | undefined;
  let running: RunningService<unknown> | undefined;
  let grpc: ReturnType<typeof createGrpcClient> | undefined;

  try {
    env = await connectTestEnvironment();
    const temporal = env;
    await producer.connect();

    worker = runWorker(
      await createWorker({
        connection: temporal.nativeConnection,
        namespace: temporal.config.namespace,
        payloadKeys: temporal.config.payloadKeys,
        taskQueue: baselineQueue,
        workflowsPath,
        activities: { noop: async () => undefined },
      }),
    );

    // The service trusts the bench's own test issuer; the bench calls as an owner it enrols first.
    TestIssuer.shared();
    const owner = new Caller(tenantId);
    running = await bootstrapGrpcService({
      ...grpcServerContract('task-engine'),
      appModule: TaskEngineAppModule,
      env: {
        ...process.env,
        GRPC_PORT: String(await freePort()),
        DB_SCHEMA: schema,
        KAFKA_TOPIC_PREFIX: topics.prefix,
        TEMPORAL_TASK_QUEUE: taskEngineQueue,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
      },
    });
    const contract = GRPC_CONTRACTS['task-engine'];
    const client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    grpc = client;
    await enrolUser(producer, running, tenantId, owner.actorId);

    for (let i = 1; i <= TEMPLATES; i++) {
      const template: Partial<tasksV1.TaskTemplate> = {
        key: `step-${i}`,
        trigger: { leadStatusId: booked },
        name: `Step ${i}`,
        priority: tasksV1.TaskPriority.TASK_PRIORITY_HIGH,
        dueOffset: { days: i, hours: 0, businessDays: false, anchor: tasksV1.DueAnchor.DUE_ANCHOR_TRIGGER_TIME, anchorField: '' },
        defaultAssignee: { rule: tasksV1.AssigneeRule.ASSIGNEE_RULE_LEAD_ASSIGNEE },
        effortHours: '1.5',
      };
      await callUnary(client, 'CreateTaskTemplate', { template }, owner.command());
    }
    await eventually('the templates in the read model', async () => {
      const { templates } = await callUnary<tasksV1.ListTemplatesByTriggerResponse>(
        client,
        'ListTemplatesByTrigger',
        { trigger: { leadStatusId: booked } },
        owner.query(),
      );
      return templates.length === TEMPLATES ? true : undefined;
    });

    console.log(
      `expansion bench: ${TEMPLATES} templates per trigger, ${TRIALS} sequential trials (+${WARMUP} warm-up), burst of ${N} ` +
        `(baseline ${CONCURRENCY} in flight), read model polled every ${POLL_MS} ms; schema ${schema}, ` +
        `task queues ${taskEngineQueue} / ${baselineQueue}; topics ${topics.prefix}*`,
    );

    const startBare = async (index: number) => {
      const handle = await temporal.client.workflow.start('benchNoopWorkflow', { taskQueue: baselineQueue, workflowId: `bench-noop-${run}-${index}`, args: [] });
      await handle.result();
    };
    const tasksVisible = async (eventIds: readonly string[]): Promise<Map<string, number>> => {
      const { rows } = await pool.query<{ trigger_event_id: string; n: number }>(
        `SELECT trigger_event_id, count(*)::int AS n FROM "${schema}".tasks WHERE tenant_id = $1 AND trigger_event_id = ANY($2) GROUP BY trigger_event_id`,
        [tenantId, eventIds],
      );
      return new Map(rows.map((r) => [r.trigger_event_id, r.n]));
    };
    /** Publishes one trigger and waits for its tasks; the latency is counted from the send's acknowledgement. */
    const expandOne = async (): Promise<{ trigger: Trigger; ackMs: number; latencyMs: number }> => {
      const trigger = leadStatusChanged(tenantId, fromStatus, booked);
      await producer.send({ topic: CRM_LEAD_TOPIC, acks: -1, messages: [trigger.message] });
      const ackMs = Date.now();
      const ackHr = nowMs();
      await eventually(`the tasks of trigger ${trigger.eventId}`, async () => ((await tasksVisible([trigger.eventId])).get(trigger.eventId) === TEMPLATES ? true : undefined), TIMEOUT_MS, POLL_MS);
      return { trigger, ackMs, latencyMs: nowMs() - ackHr };
    };

    const results: BenchResult[] = [];

    // Sequential latency: the baseline, then the expansion.
    results.push(await runCase({ name: BASELINE, group: 'sequential', operations: TRIALS, warmupOperations: WARMUP, operation: (i) => startBare(i) }));
    // The same history figures for the baseline, to tell Temporal's per-task cost from ours.
    const bareBreakdowns = await Promise.all(
      Array.from({ length: TRIALS }, async (_, i) =>
        breakdownOf((await temporal.client.workflow.getHandle(`bench-noop-${run}-${WARMUP + i}`).fetchHistory()).events ?? [], Number.NaN, Number.NaN),
      ),
    );
    for (let i = 0; i < WARMUP; i++) await expandOne();
    const latencies: number[] = [];
    const breakdowns: Breakdown[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const { trigger, ackMs, latencyMs } = await expandOne();
      latencies.push(latencyMs);
      breakdowns.push(breakdownOf(await historyOf(temporal, tenantId, trigger), ackMs, ackMs + latencyMs));
    }
    // Time spent in trials only: the history fetches between them are not the subject's cost.
    const sequentialSeconds = latencies.reduce((sum, ms) => sum + ms, 0) / 1000;
    results.push({
      name: 'expansion',
      group: 'sequential',
      concurrency: 1,
      items: TRIALS,
      seconds: sequentialSeconds,
      itemsPerSecond: TRIALS / sequentialSeconds,
      latency: summarizeLatencies(latencies),
    });

    // Burst throughput.
    results.push(
      await runCase({ name: BASELINE, group: 'burst', operations: N, concurrency: CONCURRENCY, operation: (i) => startBare(TRIALS + WARMUP + i) }),
    );
    const burst = await expandBurst(
      temporal,
      tenantId,
      N,
      () => leadStatusChanged(tenantId, fromStatus, booked),
      (messages) => producer.send({ topic: CRM_LEAD_TOPIC, acks: -1, messages }),
      tasksVisible,
    );
    results.push(burst.result);
    // When the consumer had started every workflow of the burst: is it or the worker the bottleneck?
    const burstHistories = await Promise.all(burst.triggers.map((t) => historyOf(temporal, tenantId, t)));
    const lastStartedMs = Math.max(...burstHistories.map((events) => timestampMs(events.find((e) => e.workflowExecutionStartedEventAttributes)?.eventTime))) - burst.ackMs;

    console.log('');
    printRatioTable(results, { baseline: BASELINE, unit: 'runs' });
    const [bareSeq, expSeq, bareBurst, expBurst] = results;
    console.log(
      `\nburst: ${expBurst!.itemsPerSecond.toFixed(1)} expansions/s (${(expBurst!.itemsPerSecond * TEMPLATES).toFixed(0)} tasks visible/s) vs ` +
        `${bareBurst!.itemsPerSecond.toFixed(1)} bare workflows/s: ${(expBurst!.itemsPerSecond / bareBurst!.itemsPerSecond).toFixed(2)}x throughput.`,
    );
    console.log(
      `sequential: trigger → ${TEMPLATES} tasks visible p50 ${expSeq!.latency.p50Ms.toFixed(0)} ms / p99 ${expSeq!.latency.p99Ms.toFixed(0)} ms vs ` +
        `bare workflow p50 ${bareSeq!.latency.p50Ms.toFixed(0)} ms / p99 ${bareSeq!.latency.p99Ms.toFixed(0)} ms: ` +
        `${(expSeq!.latency.p50Ms / bareSeq!.latency.p50Ms).toFixed(1)}x p50, ${(expSeq!.latency.p99Ms / bareSeq!.latency.p99Ms).toFixed(1)}x p99.`,
    );
    console.log(
      `burst of ${N}: the consumer had started all ${N} workflows ${lastStartedMs.toFixed(0)} ms after the send's ack; ` +
        `the last tasks were visible ${(burst.result.seconds * 1000).toFixed(0)} ms after the send began.`,
    );
    printBreakdown(breakdowns, latencies, bareBreakdowns);
  } finally {
    grpc?.close();
    await running?.app.close().catch((error: unknown) => console.error('could not close the task-engine', error));
    await worker?.stop().catch((error: unknown) => console.error('could not stop the baseline worker', error));
    await producer.disconnect().catch(() => undefined);
    await topics.delete(taskEngineConsumerGroups(schema)).catch((error: unknown) => console.error('could not delete the topics and consumer groups', error));
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error: unknown) => console.error('could not drop', schema, error));
    await pool.end();
    await env?.close();
  }
}


/** "2", or "2-7" when runs differ (counted from the histories, not assumed). */
function perRun(counts: readonly number[]): string {
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

function printBreakdown(breakdowns: readonly Breakdown[], totals: readonly number[], bare: readonly Breakdown[]): void {
  const rows: [string, readonly number[]][] = [
    ['trigger → 5 tasks visible (total)', totals],
    ['  send ack → workflow started (Kafka hop, consumer tx, start RPC)', breakdowns.map((b) => b.consumerHopMs)],
    ['  workflow started → last step completed', breakdowns.map((b) => b.activitiesMs)],
    [
      `    of which the steps' work (${perRun(breakdowns.map((b) => b.activityDispatchMs.length))} activities + ${perRun(breakdowns.map((b) => b.localActivities))} local, summed)`,
      breakdowns.map((b) => b.activityWorkMs),
    ],
    ['    of which Temporal round trips (rest)', breakdowns.map((b) => b.activitiesMs - b.activityWorkMs)],
    ['  last step completed → tasks visible (relay, Kafka, projection)', breakdowns.map((b) => b.projectionTailMs)],
    [`one workflow task: scheduled → started (${perRun(breakdowns.map((b) => b.workflowTaskDispatchMs.length))} per expansion)`, breakdowns.flatMap((b) => b.workflowTaskDispatchMs)],
    [`one activity task: scheduled → started (${perRun(breakdowns.map((b) => b.activityDispatchMs.length))} per expansion)`, breakdowns.flatMap((b) => b.activityDispatchMs)],
    ['baseline: one workflow task: scheduled → started (2 per run)', bare.flatMap((b) => b.workflowTaskDispatchMs)],
    ['baseline: one activity task: scheduled → started (1 per run)', bare.flatMap((b) => b.activityDispatchMs)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nwhere the ${totals.length} sequential expansions spent their time (ms; client clock and Temporal history event times, same host):`);
  console.log(`${'segment'.padEnd(width)}    p50    p90   mean    max`);
  for (const [label, samples] of rows) {
    const s = summarizeLatencies(samples);
    console.log(`${label.padEnd(width)}  ${[s.p50Ms, s.p90Ms, s.meanMs, s.maxMs].map((v) => v.toFixed(0).padStart(5)).join('  ')}`);
  }
}

interface BurstOutcome {
  readonly result: BenchResult;
  readonly triggers: readonly Trigger[];
  /** Date.now() when the send was acknowledged, for comparing with history event times. */
  readonly ackMs: number;
}

/** Publishes `count` triggers in one send and times until all their tasks are visible; latencies are per trigger from the ack. */
async function expandBurst(
  temporal: TemporalTestEnvironment,
  tenantId: string,
  count: number,
  makeTrigger: () => Trigger,
  send: (messages: Message[]) => Promise<unknown>,
  tasksVisible: (eventIds: readonly string[]) => Promise<Map<string, number>>,
): Promise<BurstOutcome> {
  const triggers = Array.from({ length: count }, makeTrigger);
  const pending = new Set(triggers.map((t) => t.eventId));
  const latencies: number[] = [];
  const start = nowMs();
  await send(triggers.map((t) => t.message));
  const ack = nowMs();
  const ackMs = Date.now();
  while (pending.size > 0) {
    if (nowMs() - ack > TIMEOUT_MS) throw new Error(`timed out with ${pending.size} of ${count} expansions not visible:\n${await describeStuck(temporal, tenantId, triggers.filter((t) => pending.has(t.eventId)))}`);
    await sleep(POLL_MS);
    const visible = await tasksVisible([...pending]);
    const now = nowMs();
    for (const [eventId, n] of visible) {
      if (n === TEMPLATES && pending.delete(eventId)) latencies.push(now - ack);
    }
  }
  const seconds = (nowMs() - start) / 1000;
  return {
    result: { name: 'expansion', group: 'burst', concurrency: count, items: count, seconds, itemsPerSecond: count / seconds, latency: summarizeLatencies(latencies) },
    triggers,
    ackMs,
  };
}

/** Whether the consumer started each stuck trigger's workflow, and how far it got. */
async function describeStuck(temporal: TemporalTestEnvironment, tenantId: string, stuck: readonly Trigger[]): Promise<string> {
  const lines = await Promise.all(
    stuck.map(async (trigger) => {
      const handle = expansionHandle(temporal, tenantId, trigger);
      try {
        const description = await handle.describe();
        return `  lead ${trigger.leadId}: workflow ${description.status.name}, history length ${description.historyLength}`;
      } catch (error) {
        return `  lead ${trigger.leadId}: no workflow (${error instanceof Error ? error.message : String(error)})`;
      }
    }),
  );
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
