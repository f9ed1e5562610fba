/**
 * What one idle service process costs, run from its TypeScript source (the runtime compiler hook,
 * workflow code bundled by webpack at start: how the platform ran before) against the compiled
 * build (dist/, prebuilt workflow bundles: how it runs now). Run, with the infrastructure up:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/service-footprint.bench.ts
 * Env: the local infra's settings (scripts/env.sh); FOOTPRINT_SERVICES (comma list, default all
 * five), FOOTPRINT_IDLE_MS (default 10000), FOOTPRINT_ROUNDS (default 1: each service is started
 * once per mode and round, one process at a time, modes alternating), FOOTPRINT_MODES (comma list of
 * source and compiled, default both).
 *
 * Each process is a test/e2e ServiceProcess: its own schema, Kafka topics, consumer groups, task
 * queue and free port, so nothing touches the running platform; all are stopped, and the schemas,
 * topics, consumer groups and ACLs deleted, at the end. Each service is started once untimed first
 * (its migrations run, its topics are created), so every timed start is a restart, as on a
 * platform that has run before. "serving s" is from spawn until the gRPC health check answers
 * SERVING (polled every 50 ms); then the process sits idle FOOTPRINT_IDLE_MS and its RSS is read
 * from /proc/<pid>/status (VmRSS; RssAnon is its private memory, RssFile the mapped files: the
 * node binary, Temporal's native core bridge). A preloaded probe (bench/lib/memory-probe.cjs)
 * reports the V8 heap (committed) of the main thread ("main heap") and of the worker threads
 * ("wf heap": 0 since workers run workflows in the main thread, IN_THREAD_WORKFLOWS; it was
 * Temporal's workflow thread, which ran the workflow bundle in an isolate of its own);
 * "native" = anon − both heaps: Node's and Temporal's native core (Rust) allocations, thread stacks,
 * buffers. The ratio columns are compiled / source.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Pool } from 'pg';
import { createKafka, withAdmin } from '@projectflo/platform/messaging';
import { databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { nowMs } from './lib/timing';
import { endRun, ensureBuilt, type ServiceMode, type ServiceName, ServiceProcess } from '../test/e2e/support/service-process';

const ALL: readonly ServiceName[] = ['crm', 'task-engine', 'build-ledger', 'scheduling', 'notifications'];
const SERVICES = (process.env.FOOTPRINT_SERVICES?.split(',') ?? ALL) as ServiceName[];
const IDLE_MS = Number(process.env.FOOTPRINT_IDLE_MS ?? 10_000);
const ROUNDS = Number(process.env.FOOTPRINT_ROUNDS ?? 1);
const MODES = (process.env.FOOTPRINT_MODES?.split(',') ?? ['source', 'compiled']) as ServiceMode[];
const PROBE = join(__dirname, 'lib', 'memory-probe.cjs');
const GOAL_RSS_MB = 150;
const GOAL_SERVING_S = 3;

interface Sample {
  readonly service: ServiceName;
  readonly mode: ServiceMode;
  readonly servingS: number;
  readonly rssMb: number;
  readonly anonMb: number;
  readonly fileMb: number;
  readonly threads: number;
  readonly heapMb: number;
  /** The V8 heaps of the process's worker threads (none since IN_THREAD_WORKFLOWS). */
  readonly threadHeapMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function procStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+)(?: kB)?$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** One untimed start and stop, so that every measured start finds its schema migrated and its topics there, as a restart does. */
async function prime(service: ServiceName, runId: string, processes: ServiceProcess[]): Promise<void> {
  const proc = await ServiceProcess.create(service, runId, { LOG_LEVEL: 'warn' }, 'compiled');
  processes.push(proc);
  await proc.start();
  await proc.stop();
  proc.close();
}

async function measure(service: ServiceName, mode: ServiceMode, runId: string, processes: ServiceProcess[]): Promise<Sample> {
  const probeFile = join(tmpdir(), `footprint-${runId}-${service}-${mode}.json`);
  const proc = await ServiceProcess.create(service, runId, { NODE_OPTIONS: `--require ${PROBE}`, FOOTPRINT_PROBE_FILE: probeFile, LOG_LEVEL: 'warn' }, mode);
  processes.push(proc);
  const started = nowMs();
  await proc.start({ pollMs: 50 });
  const servingS = (nowMs() - started) / 1000;
  await sleep(IDLE_MS);
  const status = procStatus(proc.pid!);
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { heapTotal: number };
  const probe = read(probeFile);
  const threadFiles = readdirSync(tmpdir())
    .filter((name) => name.startsWith(`${basename(probeFile)}.thread`))
    .map((name) => join(tmpdir(), name));
  const threadHeap = threadFiles.reduce((sum, file) => sum + read(file).heapTotal, 0);
  for (const file of [probeFile, ...threadFiles]) rmSync(file, { force: true });
  await proc.stop();
  proc.close();
  return {
    service,
    mode,
    servingS,
    rssMb: status['VmRSS'] / 1024,
    anonMb: status['RssAnon'] / 1024,
    fileMb: status['RssFile'] / 1024,
    threads: status['Threads'],
    heapMb: mb(probe.heapTotal),
    threadHeapMb: mb(threadHeap),
  };
}

function table(samples: readonly Sample[]): string {
  const fixed = (v: number, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const header = ['service', 'mode', 'serving s', 'RSS MB', 'anon MB', 'file MB', 'main heap MB', 'wf heap MB', 'native MB', 'threads', 'x RSS', 'x serving', 'goals'];
  const rows: string[][] = [header];
  for (const service of SERVICES) {
    const of = (mode: ServiceMode) => samples.filter((s) => s.service === service && s.mode === mode);
    const pick = (mode: ServiceMode, f: (s: Sample) => number) => median(of(mode).map(f));
    for (const mode of MODES) {
      if (of(mode).length === 0) continue;
      const rss = pick(mode, (s) => s.rssMb);
      const serving = pick(mode, (s) => s.servingS);
      const anon = pick(mode, (s) => s.anonMb);
      const heap = pick(mode, (s) => s.heapMb);
      const threadHeap = pick(mode, (s) => s.threadHeapMb);
      const ratio = mode === 'compiled' && of('source').length > 0;
      rows.push([
        service,
        mode,
        fixed(serving, 2),
        fixed(rss),
        fixed(anon),
        fixed(pick(mode, (s) => s.fileMb)),
        fixed(heap),
        fixed(threadHeap),
        fixed(anon - heap - threadHeap),
        String(pick(mode, (s) => s.threads)),
        ratio ? fixed(rss / pick('source', (s) => s.rssMb), 2) : '',
        ratio ? fixed(serving / pick('source', (s) => s.servingS), 2) : '',
        `${rss <= GOAL_RSS_MB ? 'rss ok' : `rss > ${GOAL_RSS_MB}`}, ${serving <= GOAL_SERVING_S ? 'serving ok' : `serving > ${GOAL_SERVING_S}s`}`,
      ]);
    }
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 2 || c === 12 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const built = await ensureBuilt();
  console.log(`build: ${String(built)}; services: ${SERVICES.join(', ')}; idle ${IDLE_MS} ms; rounds ${ROUNDS}`);
  const runId = `fp${randomBytes(3).toString('hex')}`;
  const processes: ServiceProcess[] = [];
  const samples: Sample[] = [];
  const pool = new Pool({ connectionString: databaseUrlFromEnv(), max: 1 });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const service of SERVICES) {
        // Alternate which mode goes first, so neither always meets a colder page cache.
        const order = round % 2 === 0 ? MODES : [...MODES].reverse();
        if (round === 0) await prime(service, runId, processes);
        for (const mode of order) {
          try {
            const sample = await measure(service, mode, runId, processes);
            samples.push(sample);
            console.log(`  ${service} ${mode}: SERVING after ${sample.servingS.toFixed(2)} s, idle RSS ${sample.rssMb.toFixed(0)} MB`);
          } catch (error: unknown) {
            // One failed start (e.g. a source tree edited while the bench runs) costs its row, not the run.
            console.log(`  ${service} ${mode}: FAILED, left out: ${String(error).split('\n')[0]}`);
          }
        }
      }
    }
    console.log(`\n${table(samples)}`);
  } finally {
    await endRun(runId, processes);
    const schemas = [...new Set(processes.map((p) => p.schema))];
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await withAdmin(createKafka(`footprint-${runId}`), async (admin) => {
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => schemas.some((schema) => g.startsWith(`${schema}.`)));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    });
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
