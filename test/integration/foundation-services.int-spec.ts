import { randomUUID } from 'node:crypto';
import type { ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { Type } from '@nestjs/common';
import { GRPC_CONTRACTS, grpcServerContract, ledgerV1, notificationsV1, PROTO_ROOT, schedulingV1, type ServiceName } from '@projectflo/contracts';
import type { EventStore } from '@projectflo/platform/core';
import { bootstrapGrpcService, callUnary, checkHealth, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { EVENT_STORE, SERVICE_DIAGNOSTICS_WORKFLOW, type ServiceDiagnosticsReport, ServiceHost } from '@projectflo/platform/service';
import { createTemporalClient, type TemporalClientHandle } from '@projectflo/platform/workflow';
import { Pool } from 'pg';
import { BuildLedgerAppModule } from '../../apps/build-ledger/src/app.module';
import { NotificationsAppModule } from '../../apps/notifications/src/app.module';
import { SchedulingAppModule } from '../../apps/scheduling/src/app.module';
import { eventually, freePort, TestTopics } from '@projectflo/platform/testing';

// Boots build-ledger, scheduling and notifications in-process, each in its own throw-away schema,
// on its own Temporal task queue and Kafka topics, against the real Postgres, Kafka and Temporal of
// scripts/infra.sh: health, the diagnostics workflow, the read model under tenant isolation, and
// a graceful close.

const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://projectflo:projectflo@127.0.0.1:55432/projectflo';
const temporalConfig = {
  address: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233',
  namespace: process.env['TEMPORAL_NAMESPACE'] ?? 'projectflo',
};
const run = randomUUID().slice(0, 8);
const topics = new TestTopics(`foundation-it-${run}.`);
const tenantA = randomUUID();
const tenantB = randomUUID();
const caller = (tenantId: string, actorId = 'user-a') => ({ 'x-tenant-id': tenantId, 'x-actor-id': actorId, 'x-request-id': randomUUID() });

async function failure(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

interface BootedService {
  readonly running: RunningService<unknown>;
  readonly client: ReturnType<typeof createGrpcClient>;
  readonly schema: string;
  readonly taskQueue: string;
  readonly host: ServiceHost;
  close(): Promise<void>;
}

/** One isolated instance of a service, on a schema of its own that it creates at start-up. */
async function boot(name: ServiceName, appModule: Type, baseSchema: string): Promise<BootedService> {
  const schema = `${baseSchema}_it_${run}`;
  const taskQueue = `${name}-it-${run}`;
  const env: Record<string, string> = {
    GRPC_PORT: String(await freePort()),
    DB_SCHEMA: schema,
    TEMPORAL_TASK_QUEUE: taskQueue,
    KAFKA_TOPIC_PREFIX: topics.prefix,
    LOG_LEVEL: 'silent',
  };
  for (const key of ['DATABASE_URL', 'KAFKA_BROKERS', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  const running = await bootstrapGrpcService({ ...grpcServerContract(name), appModule, env });
  const contract = GRPC_CONTRACTS[name];
  const client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
  let closed = false;
  return {
    running,
    client,
    schema,
    taskQueue,
    host: running.app.get(ServiceHost),
    async close() {
      if (closed) return;
      closed = true;
      client.close();
      await running.app.close();
    },
  };
}

async function diagnose(temporal: TemporalClientHandle, taskQueue: string): Promise<ServiceDiagnosticsReport> {
  return temporal.client.workflow.execute<() => Promise<ServiceDiagnosticsReport>>(SERVICE_DIAGNOSTICS_WORKFLOW, {
    taskQueue,
    workflowId: `diagnostics-${taskQueue}-${randomUUID()}`,
    workflowExecutionTimeout: '1 minute',
  });
}

function expectHealthyReport(report: ServiceDiagnosticsReport, service: string, taskQueue: string): void {
  expect(report).toMatchObject({ service, taskQueue, healthy: true, answeredBy: { service, pid: process.pid } });
  expect(report.postgres).toMatchObject({ name: 'postgres', ok: true, detail: expect.stringMatching(/^select 1 answered in [\d.]+ ms$/) });
  expect(report.eventStore).toMatchObject({ name: 'event-store', ok: true });
  expect(report.relay).toMatchObject({ name: 'relay', ok: true, state: 'running', consecutiveFailures: 0 });
  expect(report.summary.split('\n')[0]).toContain(`${service} on task queue ${taskQueue}`);
  expect(report.summary).toContain('HEALTHY');
}

describe('foundation services (build-ledger, scheduling, notifications)', () => {
  let pool: Pool;
  let temporal: TemporalClientHandle;
  const booted: BootedService[] = [];

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 2 });
    temporal = await createTemporalClient(temporalConfig);
  });

  afterAll(async () => {
    for (const service of booted) await service.close();
    for (const service of booted) await pool.query(`DROP SCHEMA IF EXISTS ${service.schema} CASCADE`);
    await topics.delete();
    await temporal?.close();
    await pool?.end();
  });

  describe('build-ledger', () => {
    let svc: BootedService;
    const buildId = randomUUID();

    beforeAll(async () => {
      svc = await boot('build-ledger', BuildLedgerAppModule, 'build_ledger');
      booted.push(svc);
    });

    it('reports SERVING for the server and for BuildLedgerService', async () => {
      expect(await checkHealth(svc.running.url)).toBe('SERVING');
      expect(await checkHealth(svc.running.url, GRPC_CONTRACTS['build-ledger'].fullServiceName)).toBe('SERVING');
    });

    it("relays an appended build event to Kafka and serves the build's history to its tenant only", async () => {
      const store = svc.running.app.get<EventStore>(EVENT_STORE);
      const metadata = { tenantId: tenantA, actorId: 'user-a', requestId: `req-${run}`, correlationId: `req-${run}`, causationId: `req-${run}`, occurredAt: '2026-11-20T10:00:00.000Z' };
      await store.appendToStream(`build-${buildId}`, [{ eventId: randomUUID(), type: 'BuildDrafted', data: { buildId, name: 'Smith wedding' }, schemaVersion: 1, metadata }], 'no_stream');
      await eventually(async () => svc.host.status().relay?.published ?? 0, (published) => published === 1, { what: 'the relay to publish the event' });

      const response = await callUnary<ledgerV1.GetBuildHistoryResponse>(svc.client, 'GetBuildHistory', { buildId }, caller(tenantA));
      expect(response.history).toMatchObject({ aggregateType: 'build', aggregateId: buildId, version: '1' });
      expect(response.history?.events).toEqual([
        expect.objectContaining({ type: 'BuildDrafted', streamPosition: '1', actorId: 'user-a', requestId: `req-${run}`, schemaVersion: 1 }),
      ]);
      expect(JSON.parse(response.history?.events[0]?.dataJson ?? 'null')).toEqual({ buildId, name: 'Smith wedding' });
      expect((await failure(callUnary(svc.client, 'GetBuildHistory', { buildId }, caller(tenantB)))).code).toBe(status.NOT_FOUND);
    });

    it('runs serviceDiagnosticsWorkflow on its task queue and reports its dependencies', async () => {
      const report = await diagnose(temporal, svc.taskQueue);
      expectHealthyReport(report, 'build-ledger', svc.taskQueue);
      expect(report.eventStore.detail).toContain(`first event BuildDrafted on build-${buildId}`);
      expect(report.relay).toMatchObject({ published: 1, pendingEvents: 0 });
    });

    it("answers GetBuild from the read model for the row's tenant, NOT_FOUND otherwise", async () => {
      expect((await failure(callUnary(svc.client, 'GetBuild', { buildId: randomUUID() }, caller(tenantA)))).code).toBe(status.NOT_FOUND);

      // Written as the projector does (the schema owner); reads go through row-level security.
      await pool.query(
        `INSERT INTO ${svc.schema}.build_views (build_id, tenant_id, lead_id, name, status, currency, live_price, approved_price, total_paid, balance, configuration_locked, created_at, updated_at, version)
         VALUES ($1, $2, NULL, 'Smith wedding', 'proposal_sent', 'USD', 2450.50, NULL, 0, 2450.50, false, '2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z', 2)`,
        [buildId, tenantA],
      );
      const { build } = await callUnary<ledgerV1.GetBuildResponse>(svc.client, 'GetBuild', { buildId }, caller(tenantA));
      expect(build).toMatchObject({
        buildId,
        name: 'Smith wedding',
        status: 'BUILD_STATUS_PROPOSAL_SENT',
        livePrice: { currency: 'USD', amount: '2450.50' },
        approvedPrice: null,
        balance: { currency: 'USD', amount: '2450.50' },
        version: '2',
      });
      expect((await failure(callUnary(svc.client, 'GetBuild', { buildId }, caller(tenantB)))).code).toBe(status.NOT_FOUND);
      const listed = await callUnary<ledgerV1.ListBuildsResponse>(svc.client, 'ListBuilds', { statuses: ['BUILD_STATUS_PROPOSAL_SENT'] }, caller(tenantA));
      expect(listed.builds.map((b) => b.buildId)).toEqual([buildId]);
      expect((await callUnary<ledgerV1.ListBuildsResponse>(svc.client, 'ListBuilds', {}, caller(tenantB))).builds).toEqual([]);
    });

    it('closes gracefully: the worker drains and the relay stops', async () => {
      await svc.close();
      expect(svc.host.status().relay?.state).toBe('stopped');
    });
  });

  describe('scheduling', () => {
    let svc: BootedService;

    beforeAll(async () => {
      svc = await boot('scheduling', SchedulingAppModule, 'scheduling');
      booted.push(svc);
    });

    it('reports SERVING for the server and for SchedulingService', async () => {
      expect(await checkHealth(svc.running.url)).toBe('SERVING');
      expect(await checkHealth(svc.running.url, GRPC_CONTRACTS.scheduling.fullServiceName)).toBe('SERVING');
    });

    it('runs serviceDiagnosticsWorkflow on its task queue and reports its dependencies', async () => {
      const report = await diagnose(temporal, svc.taskQueue);
      expectHealthyReport(report, 'scheduling', svc.taskQueue);
      expect(report.eventStore.detail).toContain('no events recorded yet');
    });

    it("answers GetTaskSchedule from the read model for the row's tenant, NOT_FOUND otherwise", async () => {
      const taskId = randomUUID();
      expect((await failure(callUnary(svc.client, 'GetTaskSchedule', { taskId }, caller(tenantA)))).code).toBe(status.NOT_FOUND);

      await pool.query(`INSERT INTO ${svc.schema}.task_schedules (task_id, tenant_id, due_at, task_open, updated_at, version) VALUES ($1, $2, '2026-12-01T17:00:00Z', true, now(), 1)`, [
        taskId,
        tenantA,
      ]);
      await pool.query(
        `INSERT INTO ${svc.schema}.reminders (reminder_id, tenant_id, task_id, kind, offset_days, fire_at, status, fired_at) VALUES
         ($1, $3, $4, 'on_due', 0, '2026-12-01T17:00:00Z', 'pending', NULL),
         ($2, $3, $4, 'before_due', 3, '2026-11-28T17:00:00Z', 'pending', NULL)`,
        [randomUUID(), randomUUID(), tenantA, taskId],
      );
      const { schedule } = await callUnary<schedulingV1.GetTaskScheduleResponse>(svc.client, 'GetTaskSchedule', { taskId }, caller(tenantA));
      expect(schedule).toMatchObject({ taskId, taskOpen: true, dueAt: { seconds: String(Date.parse('2026-12-01T17:00:00Z') / 1000) } });
      expect(schedule?.reminders.map((r) => [r.kind, r.offsetDays, r.status])).toEqual([
        ['REMINDER_KIND_BEFORE_DUE', 3, 'REMINDER_STATUS_PENDING'],
        ['REMINDER_KIND_ON_DUE', 0, 'REMINDER_STATUS_PENDING'],
      ]);
      expect((await failure(callUnary(svc.client, 'GetTaskSchedule', { taskId }, caller(tenantB)))).code).toBe(status.NOT_FOUND);

      const page1 = await callUnary<schedulingV1.ListRemindersResponse>(svc.client, 'ListReminders', { taskId, page: { pageSize: 1 } }, caller(tenantA));
      expect(page1.reminders.map((r) => r.kind)).toEqual(['REMINDER_KIND_BEFORE_DUE']);
      const page2 = await callUnary<schedulingV1.ListRemindersResponse>(svc.client, 'ListReminders', { taskId, page: { pageSize: 1, pageToken: page1.page?.nextPageToken } }, caller(tenantA));
      expect(page2.reminders.map((r) => r.kind)).toEqual(['REMINDER_KIND_ON_DUE']);
      expect(page2.page?.nextPageToken).toBe('');
      expect((await callUnary<schedulingV1.ListRemindersResponse>(svc.client, 'ListReminders', { taskId }, caller(tenantB))).reminders).toEqual([]);
    });

    it('closes gracefully: the worker drains and the relay stops', async () => {
      await svc.close();
      expect(svc.host.status().relay?.state).toBe('stopped');
    });
  });

  describe('notifications', () => {
    let svc: BootedService;

    beforeAll(async () => {
      svc = await boot('notifications', NotificationsAppModule, 'notifications');
      booted.push(svc);
    });

    it('reports SERVING for the server and for NotificationsService', async () => {
      expect(await checkHealth(svc.running.url)).toBe('SERVING');
      expect(await checkHealth(svc.running.url, GRPC_CONTRACTS.notifications.fullServiceName)).toBe('SERVING');
    });

    it('runs serviceDiagnosticsWorkflow on its task queue and reports its dependencies', async () => {
      expectHealthyReport(await diagnose(temporal, svc.taskQueue), 'notifications', svc.taskQueue);
    });

    it("lists the caller's inbox from the read model within its tenant; MarkNotificationRead is NOT_FOUND for an unknown id", async () => {
      const notificationId = randomUUID();
      expect((await failure(callUnary(svc.client, 'MarkNotificationRead', { notificationId }, caller(tenantA)))).code).toBe(status.NOT_FOUND);

      await pool.query(
        `INSERT INTO ${svc.schema}.notifications (notification_id, tenant_id, recipient_id, title, body, link, channel, read_at, created_at)
         VALUES ($1, $2, 'user-a', 'Task due', 'Edit the highlight film', '/tasks/1', 'in_app', NULL, now())`,
        [notificationId, tenantA],
      );
      const inbox = await callUnary<notificationsV1.ListNotificationsResponse>(svc.client, 'ListNotifications', { unreadOnly: true }, caller(tenantA));
      expect(inbox.notifications).toEqual([
        expect.objectContaining({ notificationId, recipientId: 'user-a', title: 'Task due', channel: 'CHANNEL_IN_APP', read: false }),
      ]);
      expect((await callUnary<notificationsV1.ListNotificationsResponse>(svc.client, 'ListNotifications', {}, caller(tenantA, 'user-b'))).notifications).toEqual([]);
      expect((await callUnary<notificationsV1.ListNotificationsResponse>(svc.client, 'ListNotifications', {}, caller(tenantB))).notifications).toEqual([]);
      expect((await failure(callUnary(svc.client, 'MarkNotificationRead', { notificationId }, caller(tenantB)))).code).toBe(status.NOT_FOUND);
      // Read state needs the notification's event stream, which arrives with delivery.
      expect((await failure(callUnary(svc.client, 'MarkNotificationRead', { notificationId }, caller(tenantA)))).code).toBe(status.UNIMPLEMENTED);
    });

    it('closes gracefully: the worker drains and the relay stops', async () => {
      await svc.close();
      expect(svc.host.status().relay?.state).toBe('stopped');
    });
  });
});
