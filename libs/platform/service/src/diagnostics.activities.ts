import { hostname } from 'node:os';
import type { EventStore } from '@projectflo/platform/core';
import type { Pool } from 'pg';
import type { ServiceHost } from './service-host';

/**
 * Absolute path of the module holding `serviceDiagnosticsWorkflow`, for a service's
 * `worker.workflowsPath`. Resolved (not joined) so it finds the .ts source under swc-node/jest and
 * a compiled .js file alike. The workflow module itself is never exported from the index: the
 * index pulls in Node-only code that must stay out of the workflow sandbox.
 */
export const DIAGNOSTICS_WORKFLOWS_PATH: string = require.resolve('./diagnostics.workflows');

/** The workflow type to start on a service's task queue (Web UI: "Start workflow", no input). */
export const SERVICE_DIAGNOSTICS_WORKFLOW = 'serviceDiagnosticsWorkflow';

/** One probe of one dependency, as the diagnostics report shows it. */
export interface DiagnosticCheck {
  /** `postgres`, `event-store`, `relay`. */
  readonly name: string;
  readonly ok: boolean;
  /** One readable line for the Temporal Web UI, e.g. "select 1 answered in 3 ms". */
  readonly detail: string;
  /** Round-trip time of the probe, when it made one. */
  readonly latencyMs?: number;
}

/** Which process answered: with several replicas on one task queue, the one whose worker ran the activity. */
export interface DiagnosticsIdentity {
  readonly service: string;
  readonly host: string;
  readonly pid: number;
}

/** The relay's figures from ServiceHost.status(), kept flat so they read well in the Web UI. */
export interface RelayDiagnosticCheck extends DiagnosticCheck {
  readonly state?: string;
  readonly published?: number;
  readonly skipped?: number;
  readonly pendingEvents?: number;
  readonly lagMs?: number;
  readonly consecutiveFailures?: number;
  readonly lastError?: string;
  /** `<commit>/<prepare>` of the last acknowledged batch, when there was one. */
  readonly checkpoint?: string;
  readonly consumerGroups?: readonly string[];
}

/** What serviceDiagnosticsWorkflow returns (the Web UI shows it as the result). `summary` is the part meant for people. */
export interface ServiceDiagnosticsReport {
  readonly service: string;
  readonly taskQueue: string;
  /** The worker process that ran the probes (undefined if even that failed). */
  readonly answeredBy?: DiagnosticsIdentity;
  readonly checkedAt: string;
  readonly healthy: boolean;
  readonly postgres: DiagnosticCheck;
  readonly eventStore: DiagnosticCheck;
  readonly relay: RelayDiagnosticCheck;
  /** Multi-line text: one verdict line, then one line per check. */
  readonly summary: string;
}

/** The activities serviceDiagnosticsWorkflow calls; every probe reports a failure rather than throwing it. */
export interface DiagnosticsActivities {
  identifyService(): Promise<DiagnosticsIdentity>;
  checkPostgres(): Promise<DiagnosticCheck>;
  checkEventStore(): Promise<DiagnosticCheck>;
  checkRelay(): Promise<RelayDiagnosticCheck>;
}

export interface DiagnosticsDependencies {
  readonly service: string;
  readonly pool: Pick<Pool, 'query'>;
  readonly store: Pick<EventStore, 'readAll'>;
  readonly host: Pick<ServiceHost, 'status'>;
  /** Monotonic milliseconds for latencies; performance.now by default. */
  readonly now?: () => number;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Activities every worker registers so operations staff can run `serviceDiagnosticsWorkflow` on a
 * service's task queue from the Temporal Web UI and read what the service sees of its
 * dependencies. Read-only: they run `select 1`, read one event, and read the relay's counters.
 */
export function createDiagnosticsActivities(deps: DiagnosticsDependencies): DiagnosticsActivities {
  const now = deps.now ?? (() => performance.now());
  const elapsed = (start: number): number => Math.round((now() - start) * 10) / 10;

  return {
    async identifyService() {
      return { service: deps.service, host: hostname(), pid: process.pid };
    },

    async checkPostgres() {
      const start = now();
      try {
        await deps.pool.query('select 1');
        const latencyMs = elapsed(start);
        return { name: 'postgres', ok: true, detail: `select 1 answered in ${latencyMs} ms`, latencyMs };
      } catch (error) {
        return { name: 'postgres', ok: false, detail: `select 1 failed: ${describeError(error)}`, latencyMs: elapsed(start) };
      }
    },

    async checkEventStore() {
      const start = now();
      try {
        const [first] = await deps.store.readAll({ limit: 1 });
        const latencyMs = elapsed(start);
        const contents = first ? `first event ${first.type} on ${first.streamName}` : 'no events recorded yet';
        return { name: 'event-store', ok: true, detail: `readable in ${latencyMs} ms; ${contents}`, latencyMs };
      } catch (error) {
        return { name: 'event-store', ok: false, detail: `read failed: ${describeError(error)}`, latencyMs: elapsed(start) };
      }
    },

    async checkRelay() {
      const { relay, consumers } = deps.host.status();
      const consumerGroups = consumers.map((c) => c.groupId);
      if (!relay) return { name: 'relay', ok: false, detail: 'the relay has not started', consumerGroups };
      const healthy = relay.state === 'running' && relay.consecutiveFailures === 0;
      const detail =
        `${relay.state}; published ${relay.published}, pending ${relay.pendingEvents}, lag ${relay.lagMs} ms` +
        (relay.consecutiveFailures > 0 ? `; ${relay.consecutiveFailures} failed attempts (${relay.lastError ?? 'no message'})` : '');
      return {
        name: 'relay',
        ok: healthy,
        detail,
        state: relay.state,
        published: relay.published,
        skipped: relay.skipped,
        pendingEvents: relay.pendingEvents,
        lagMs: relay.lagMs,
        consecutiveFailures: relay.consecutiveFailures,
        ...(relay.lastError !== undefined ? { lastError: relay.lastError } : {}),
        ...(relay.checkpoint ? { checkpoint: `${relay.checkpoint.commit}/${relay.checkpoint.prepare}` } : {}),
        consumerGroups,
      };
    },
  };
}
