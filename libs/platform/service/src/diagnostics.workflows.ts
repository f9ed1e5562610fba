// Runs inside the Temporal workflow sandbox: imports @temporalio/workflow and types only.
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DiagnosticCheck, DiagnosticsActivities, ServiceDiagnosticsReport } from './diagnostics.activities';

// One attempt each: a diagnostic reports what it saw now; retrying would hide a flapping dependency.
const probes = proxyActivities<DiagnosticsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

function reason(error: unknown): string {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

async function probe<C extends DiagnosticCheck>(name: string, run: () => Promise<C>): Promise<C | DiagnosticCheck> {
  try {
    return await run();
  } catch (error) {
    return { name, ok: false, detail: `probe did not complete: ${reason(error)}` };
  }
}

function line(check: DiagnosticCheck): string {
  return `${check.ok ? 'OK  ' : 'FAIL'} ${check.name}: ${check.detail}`;
}

/**
 * Start on a service's task queue (e.g. `build-ledger`) from the Temporal Web UI or a client, with
 * no input: the worker that picks it up checks its Postgres, its event store and its relay, and
 * the workflow returns a readable report. It changes nothing.
 */
export async function serviceDiagnosticsWorkflow(): Promise<ServiceDiagnosticsReport> {
  const { taskQueue } = workflowInfo();
  const checkedAt = new Date().toISOString();
  const [identity, postgres, eventStore, relay] = await Promise.all([
    probes.identifyService().catch(() => undefined),
    probe('postgres', () => probes.checkPostgres()),
    probe('event-store', () => probes.checkEventStore()),
    probe('relay', () => probes.checkRelay()),
  ]);
  const healthy = postgres.ok && eventStore.ok && relay.ok;
  const service = identity?.service ?? 'unknown service';
  const where = identity ? ` (${identity.host}, pid ${identity.pid})` : '';
  const summary = [
    `${service} on task queue ${taskQueue}${where}: ${healthy ? 'HEALTHY' : 'DEGRADED'} at ${checkedAt}`,
    line(postgres),
    line(eventStore),
    line(relay),
  ].join('\n');
  return {
    service,
    taskQueue,
    ...(identity ? { answeredBy: identity } : {}),
    checkedAt,
    healthy,
    postgres,
    eventStore,
    relay,
    summary,
  };
}
