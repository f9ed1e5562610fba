import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { GRPC_CONTRACTS, grpcServerContract, type ServiceName } from '@projectflo/contracts';
import type { EventStore } from '@projectflo/platform/core';
import { bootstrapGrpcService, checkHealth, listServicesByReflection, type RunningService } from '@projectflo/platform/grpc';
import { EVENT_STORE, SERVICE_DIAGNOSTICS_WORKFLOW, type ServiceDiagnosticsReport, ServiceHost } from '@projectflo/platform/service';
import { createTemporalClient, type TemporalClientHandle, temporalConfigFromEnv } from '@projectflo/platform/workflow';
import { Pool } from 'pg';
import { BuildLedgerAppModule } from '../../apps/build-ledger/src/app.module';
import { NotificationsAppModule } from '../../apps/notifications/src/app.module';
import { SchedulingAppModule } from '../../apps/scheduling/src/app.module';
import { eventually, freePort, kafkaEnv, TestIssuer, TestTopics } from '@projectflo/platform/testing';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';

// Boots build-ledger, scheduling and notifications in-process, each in its own throw-away schema,
// on its own Temporal task queue and Kafka topics, against the real Postgres, Kafka and Temporal of
// scripts/infra.sh: health, the relay, the diagnostics workflow, the read model's tables dropped by
// the services' last migrations, and a graceful close. Their RPCs, commands and read models come
// with their own issues.

const databaseUrl = databaseUrlFromEnv();
const temporalConfig = temporalConfigFromEnv();
const run = randomUUID().slice(0, 8);
const topics = new TestTopics(`foundation-it-${run}.`);
const tenantA = randomUUID();

interface BootedService {
  readonly running: RunningService<unknown>;
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
    ...TestIssuer.shared().env,
    ...kafkaEnv(),
  };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  const running = await bootstrapGrpcService({ ...grpcServerContract(name), appModule, env });
  let closed = false;
  return {
    running,
    schema,
    taskQueue,
    host: running.app.get(ServiceHost),
    async close() {
      if (closed) return;
      closed = true;
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

/** Health and reflection for the service's contract, which has no RPCs yet. */
async function expectServing(svc: BootedService, name: ServiceName): Promise<void> {
  const { fullServiceName } = GRPC_CONTRACTS[name];
  expect(await checkHealth(svc.running.url)).toBe('SERVING');
  expect(await checkHealth(svc.running.url, fullServiceName)).toBe('SERVING');
  expect(await listServicesByReflection(svc.running.url)).toEqual(expect.arrayContaining([fullServiceName, 'grpc.health.v1.Health']));
}

/** The tables its first migration created for a read model nothing wrote, which the last one drops. */
async function existingTables(pool: Pool, schema: string, tables: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2)', [schema, tables]);
  return rows.map((r) => r.table_name);
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

    it('reports SERVING for the server and for BuildLedgerService, which reflection lists', async () => {
      await expectServing(svc, 'build-ledger');
    });

    it('has the catalog and builds tables its projections write, and no build_views (created and dropped again)', async () => {
      const tables = ['build_views', 'catalog_items', 'builds', 'build_change_orders', 'build_snapshots', 'mikro_orm_migrations'];
      expect((await existingTables(pool, svc.schema, tables)).sort()).toEqual(['build_change_orders', 'build_snapshots', 'builds', 'catalog_items', 'mikro_orm_migrations']);
    });

    it('relays an appended build event to Kafka', async () => {
      const store = svc.running.app.get<EventStore>(EVENT_STORE);
      const metadata = { tenantId: tenantA, actorId: 'user-a', requestId: `req-${run}`, correlationId: `req-${run}`, causationId: `req-${run}`, occurredAt: '2026-11-20T10:00:00.000Z' };
      await store.appendToStream(`build-${buildId}`, [{ eventId: randomUUID(), type: 'BuildDrafted', data: { buildId, name: 'Smith wedding' }, schemaVersion: 1, metadata }], 'no_stream');
      await eventually(async () => svc.host.status().relay?.published ?? 0, (published) => published === 1, { what: 'the relay to publish the event' });
    });

    it('runs serviceDiagnosticsWorkflow on its task queue and reports its dependencies', async () => {
      const report = await diagnose(temporal, svc.taskQueue);
      expectHealthyReport(report, 'build-ledger', svc.taskQueue);
      expect(report.eventStore.detail).toContain(`first event BuildDrafted on build-${buildId}`);
      expect(report.relay).toMatchObject({ published: 1, pendingEvents: 0 });
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

    it('reports SERVING for the server and for SchedulingService, which reflection lists', async () => {
      await expectServing(svc, 'scheduling');
    });

    it("has the task schedules its projection writes, and not the shell's unwritten reminders table", async () => {
      expect((await existingTables(pool, svc.schema, ['task_schedules', 'reminders', 'mikro_orm_migrations'])).sort()).toEqual(['mikro_orm_migrations', 'task_schedules']);
    });

    it('runs serviceDiagnosticsWorkflow on its task queue and reports its dependencies', async () => {
      const report = await diagnose(temporal, svc.taskQueue);
      expectHealthyReport(report, 'scheduling', svc.taskQueue);
      expect(report.eventStore.detail).toContain('no events recorded yet');
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

    it('reports SERVING for the server and for NotificationsService, which reflection lists', async () => {
      await expectServing(svc, 'notifications');
    });

    it('has no notifications table: its migrations created it and dropped it again', async () => {
      expect(await existingTables(pool, svc.schema, ['notifications', 'mikro_orm_migrations'])).toEqual(['mikro_orm_migrations']);
    });

    it('runs serviceDiagnosticsWorkflow on its task queue and reports its dependencies', async () => {
      expectHealthyReport(await diagnose(temporal, svc.taskQueue), 'notifications', svc.taskQueue);
    });

    it('closes gracefully: the worker drains and the relay stops', async () => {
      await svc.close();
      expect(svc.host.status().relay?.state).toBe('stopped');
    });
  });
});
