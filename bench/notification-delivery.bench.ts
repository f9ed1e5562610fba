/**
 * Issue 9: email deliveries per second through the notifications service's whole delivery path —
 * a TaskCreated on Kafka, the triggers consumer, the notification request and its dispatcher,
 * notifyWorkflow on Temporal (resolve recipients, preferences, render, send with the real
 * SmtpEmailAdapter to Mailpit, Delivery events in Postgres) — against a bare nodemailer send loop
 * of the same number of messages in the same run (the goal: >= 0.5x). Complements
 * bench/email-delivery.bench.ts, which compares the adapter alone. Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/notification-delivery.bench.ts
 * Flags: --count (default 300 deliveries), --concurrency (the baseline's sends in flight, default 10).
 * The service runs in this process on its own schema, topics and task queue (as the integration
 * spec does); everything it made is removed at the end (schema, consumer groups, Mailpit messages).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { createTransport } from 'nodemailer';
import { crmOrganizationEventsV1, grpcServerContract } from '@projectflo/contracts';
import { type CommandMetadata } from '@projectflo/platform/core';
import { bootstrapGrpcService } from '@projectflo/platform/grpc';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { CommandExecutor } from '@projectflo/platform/service';
import { freePort, TestTopics, waitForActiveMember } from '@projectflo/platform/testing';
import { NotificationsAppModule } from '../apps/notifications/src/app.module';
import { NotificationsStreams } from '../apps/notifications/src/notifications.streams';
import { notificationRulesDecider } from '../apps/notifications/src/rules/notification-rules.decider';
import { organizationMessage, taskCreated, taskMessage } from '../apps/notifications/src/testing/notifications.test-support';
import { runMain } from './lib/run-main';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '10' },
  },
});
const COUNT = Number(flags.count);
const CONCURRENCY = Number(flags.concurrency);
const MAILPIT_URL = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
const SMTP = { host: process.env.SMTP_HOST ?? '127.0.0.1', port: Number(process.env.SMTP_PORT ?? 1025) };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mailpitCount(query: string): Promise<number> {
  const response = await fetch(`${MAILPIT_URL}/api/v1/search?limit=1&query=${encodeURIComponent(query)}`);
  if (!response.ok) throw new Error(`Mailpit search answered HTTP ${response.status}`);
  return ((await response.json()) as { messages_count?: number }).messages_count ?? 0;
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const tag = `bench-notify-${run}`;
  const schema = `nt_bench_${run}`;
  const topics = new TestTopics(`${schema}.`);
  const tenantId = randomUUID();
  const manager = randomUUID();
  const reader = randomUUID();
  const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 2 });
  const kafka = topics.client(`nt-bench-${run}`);
  const producer = kafka.producer();
  await producer.connect();
  const running = await bootstrapGrpcService({
    ...grpcServerContract('notifications'),
    appModule: NotificationsAppModule,
    env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `nt-bench-${run}`, LOG_LEVEL: 'warn' },
  });
  const transport = createTransport({ pool: true, maxConnections: 5, host: SMTP.host, port: SMTP.port, secure: false });
  try {
    const now = new Date().toISOString();
    for (const m of [
      organizationMessage(tenantId, 'OrganizationRegistered', { organizationId: tenantId, name: 'Bench Studio', timezone: 'UTC', registeredAt: now, registeredBy: 'user-crm' }),
      organizationMessage(tenantId, 'UserAdded', crmOrganizationEventsV1.userAddedV1(tenantId, manager, 'Manager', now)),
      organizationMessage(tenantId, 'UserAdded', { ...crmOrganizationEventsV1.userAddedV1(tenantId, reader, 'Member', now), email: `reader-${run}@bench.projectflo.local` }),
    ]) {
      await producer.send({ topic: m.topic, messages: [m.message as never] });
    }
    await waitForActiveMember(running, tenantId, reader, 'Member');
    const metadata: CommandMetadata = { tenantId, actorId: manager, actorKind: 'user', requestId: randomUUID(), now: new Date() };
    await running.app.get(CommandExecutor).run(
      notificationRulesDecider,
      NotificationsStreams.notificationRules(tenantId),
      {
        type: 'DefineNotificationRule',
        data: {
          ruleId: randomUUID(),
          rule: {
            name: 'bench',
            trigger: 'task_created',
            templateKey: null,
            channel: 'email',
            recipients: [{ kind: 'assignee' }],
            subject: `[${tag}] {{task.name}} is due {{task.dueAt}}`,
            body: 'Hello {{recipient.name}},\n\n{{task.name}} ({{task.priority}}) is due {{task.dueAt}}.\n\n{{tenant.name}}',
            critical: false,
            smsFallbackToEmail: false,
            digestWindow: null,
            throttle: null,
          },
        },
      },
      { metadata },
    );

    // Baseline: the same number of messages through one pooled nodemailer transport.
    const baseTag = `bench-bare-${run}`;
    let next = 0;
    const baseStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COUNT) {
          const n = ++next;
          await transport.sendMail({
            from: 'ProjectFlo <notifications@projectflo.local>',
            to: `reader-${run}@bench.projectflo.local`,
            subject: `[${baseTag}] Task ${n} is due Monday, 7 December 2026 at 17:00 UTC`,
            text: `Hello,\n\nTask ${n} (High) is due Monday, 7 December 2026 at 17:00 UTC.\n\nBench Studio`,
            html: `<p>Hello,</p><p>Task ${n} (High) is due Monday, 7 December 2026 at 17:00 UTC.</p>`,
          });
        }
      }),
    );
    const baseSeconds = (performance.now() - baseStart) / 1000;

    // Subject: COUNT tasks created at once, each one delivery through the service.
    const start = performance.now();
    const messages = Array.from({ length: COUNT }, (_, i) => {
      const taskId = randomUUID();
      return taskMessage(tenantId, taskId, 'TaskCreated', taskCreated(tenantId, taskId, { assigneeId: reader, name: `Task ${i + 1}` })).message;
    });
    for (let i = 0; i < messages.length; i += 100) await producer.send({ topic: 'tasks.task.v1', messages: messages.slice(i, i + 100) as never[] });
    let delivered = 0;
    const deadline = Date.now() + 600_000;
    while (delivered < COUNT && Date.now() < deadline) {
      await sleep(200);
      delivered = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".events WHERE type = 'Delivered'`)).rows[0]!.n);
    }
    const seconds = (performance.now() - start) / 1000;
    await sleep(1_000);
    const arrived = await mailpitCount(`subject:"${tag}"`);
    const baseArrived = await mailpitCount(`subject:"bench-bare-${run}"`);
    const baseRate = COUNT / baseSeconds;
    const rate = delivered / seconds;
    console.log(`notification delivery bench: ${COUNT} deliveries, baseline ${CONCURRENCY} sends in flight, SMTP ${SMTP.host}:${SMTP.port}, run ${tag}`);
    console.log(`bare nodemailer loop       ${COUNT} messages in ${baseSeconds.toFixed(2)} s: ${baseRate.toFixed(1)} messages/s`);
    console.log(`notifications (end to end) ${delivered} delivered in ${seconds.toFixed(2)} s: ${rate.toFixed(1)} deliveries/s`);
    console.log(`ratio: ${(rate / baseRate).toFixed(3)}x (goal >= 0.5x: ${rate / baseRate >= 0.5 ? 'met' : 'not met'}); arrived in Mailpit: service ${arrived}/${COUNT}, baseline ${baseArrived}/${COUNT}`);
  } finally {
    transport.close();
    for (const query of [`subject:"${tag}"`, `subject:"bench-bare-${run}"`]) {
      await fetch(`${MAILPIT_URL}/api/v1/search?query=${encodeURIComponent(query)}`, { method: 'DELETE' }).catch(() => undefined);
    }
    await running.app.close();
    await producer.disconnect();
    await topics.delete(['user-directory', 'facts', 'triggers', 'delivery-log', 'inbox'].map((p) => `${schema}.${p}`)).catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

runMain(main);
