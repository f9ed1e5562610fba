import { randomUUID } from 'node:crypto';
import { connectTestEnvironment, createWorker, runWorker, type TemporalTestEnvironment } from '@projectflo/platform/workflow';
import { DIAGNOSTICS_WORKFLOWS_PATH, type DiagnosticsActivities, SERVICE_DIAGNOSTICS_WORKFLOW, type ServiceDiagnosticsReport } from './diagnostics.activities';

// The workflow against the Temporal dev server, with activities that fail in the ways the real
// ones cannot report themselves: a probe that throws (a bug, a crash) and a relay that is down.
// The healthy path runs against real services in test/integration/foundation-services.int.spec.ts.

describe('serviceDiagnosticsWorkflow', () => {
  let env: TemporalTestEnvironment;

  beforeAll(async () => {
    env = await connectTestEnvironment();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('reports a DEGRADED service with the failing probes named, instead of failing the workflow', async () => {
    const taskQueue = env.uniqueTaskQueue('diagnostics');
    const activities: DiagnosticsActivities = {
      identifyService: async () => ({ service: 'scheduling', host: 'replica-1', pid: 42 }),
      checkPostgres: async () => {
        throw new Error('pool exhausted');
      },
      checkEventStore: async () => ({ name: 'event-store', ok: true, detail: 'readable in 1 ms; no events recorded yet', latencyMs: 1 }),
      checkRelay: async () => ({ name: 'relay', ok: false, detail: 'the relay has not started', consumerGroups: [] }),
    };
    const worker = runWorker(await createWorker({ connection: env.nativeConnection, namespace: env.config.namespace, payloadKeys: env.config.payloadKeys, taskQueue, workflowsPath: DIAGNOSTICS_WORKFLOWS_PATH, activities }));
    try {
      const report = await env.client.workflow.execute<() => Promise<ServiceDiagnosticsReport>>(SERVICE_DIAGNOSTICS_WORKFLOW, {
        taskQueue,
        workflowId: `diagnostics-${randomUUID()}`,
        workflowExecutionTimeout: '1 minute',
      });
      expect(report).toMatchObject({ service: 'scheduling', taskQueue, healthy: false, answeredBy: { host: 'replica-1', pid: 42 } });
      expect(report.postgres).toEqual({ name: 'postgres', ok: false, detail: 'probe did not complete: pool exhausted' });
      expect(report.summary.split('\n')).toEqual([
        `scheduling on task queue ${taskQueue} (replica-1, pid 42): DEGRADED at ${report.checkedAt}`,
        'FAIL postgres: probe did not complete: pool exhausted',
        'OK   event-store: readable in 1 ms; no events recorded yet',
        'FAIL relay: the relay has not started',
      ]);
    } finally {
      await worker.stop();
    }
  });
});
