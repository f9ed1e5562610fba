import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GRPC_CONTRACTS, PROTO_ROOT } from '@projectflo/contracts';
import { CONSISTENCY_HEADER, callUnary, callUnaryWithHeaders, checkHealth, createGrpcClient } from '@projectflo/platform/grpc';
import { createKafka, withAdmin } from '@projectflo/platform/messaging';
import { removeAcls } from '@projectflo/platform/service';
import type { AclEntry } from 'kafkajs';
import { databaseUrlFromEnv, developmentServiceDatabaseUrl } from '@projectflo/platform/persistence';
import { devKafkaCredentials, eventually, freePort, TestTopics } from '@projectflo/platform/testing';
import { applyPlatformAcls } from '../../../scripts/kafka-acls';
import { build, DIST } from '../../../scripts/build';

const ROOT = join(__dirname, '..', '..', '..');
const LOG_DIR = join(ROOT, '.infra', 'logs', 'e2e');

export type ServiceName = keyof typeof GRPC_CONTRACTS;

/** The Kafka topics the service processes of one e2e run share (`e2e-<runId>.`); `delete()` them afterwards. */
export const e2eTopics = (runId: string): TestTopics => new TestTopics(`e2e-${runId}.`);

/**
 * Ends a test file's run: closes each process's gRPC client, stops the processes (see
 * ServiceProcess.stop) and deletes the run's topics and Kafka ACLs. Processes never started are skipped.
 */
export async function endRun(runId: string, services: readonly (ServiceProcess | undefined)[]): Promise<void> {
  for (const service of services) service?.close();
  await Promise.all(services.map((service) => service?.stop()));
  await e2eTopics(runId).delete();
  const acls = services.flatMap((service) => service?.kafkaAcls ?? []);
  if (acls.length > 0) await withAdmin(createKafka(`e2e-acls-${runId}`), (admin) => removeAcls(admin, acls));
}
type GrpcClient = ReturnType<typeof createGrpcClient>;

/**
 * How a service process runs: `compiled` is the platform's way (dist/, built by scripts/build.ts
 * with prebuilt workflow bundles); `source` runs its TypeScript through @swc-node/register and
 * bundles the workflows at start (what the platform did before; the footprint bench compares the
 * two). The default is compiled, or PROJECTFLO_SERVICE_MODE.
 */
export type ServiceMode = 'compiled' | 'source';

export function defaultServiceMode(): ServiceMode {
  const mode = process.env['PROJECTFLO_SERVICE_MODE'] ?? 'compiled';
  if (mode !== 'compiled' && mode !== 'source') throw new Error(`PROJECTFLO_SERVICE_MODE must be compiled or source, not ${mode}`);
  return mode;
}

let built: Promise<unknown> | undefined;
/** Builds dist/ once per test process, and only if a source changed since the last build. */
export function ensureBuilt(): Promise<unknown> {
  built ??= build({ ifChanged: true, quiet: true });
  return built;
}

/**
 * Node flags of a compiled service, as scripts/platform.sh, docker-compose.yml and the Dockerfile
 * pass them; PROJECTFLO_SERVICE_NODE_FLAGS (space-separated, may be empty) replaces them, e.g. for
 * the footprint bench to compare flags.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = process.env['PROJECTFLO_SERVICE_NODE_FLAGS']?.split(' ').filter(Boolean) ?? ['--max-semi-space-size=2'];

/** The node arguments that start `service` in `mode`. */
export function serviceCommand(service: string, mode: ServiceMode): string[] {
  return mode === 'compiled'
    ? [...SERVICE_NODE_FLAGS, ...profileFlags(service), '-r', 'reflect-metadata', join(DIST, 'apps', service, 'src', 'main.js')]
    : [...profileFlags(service), '-r', 'reflect-metadata', '-r', '@swc-node/register', join(ROOT, 'apps', service, 'src', 'main.ts')];
}

/**
 * PROFILE_SERVICES=task-engine,crm: those processes run with V8's CPU profiler and write a
 * .cpuprofile into .infra/profiles when they exit (Node refuses --cpu-prof in NODE_OPTIONS).
 */
function profileFlags(service: string): string[] {
  const profiled = (process.env['PROFILE_SERVICES'] ?? '').split(',').map((s) => s.trim());
  return profiled.includes(service) ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, '.infra', 'profiles')}`, `--cpu-prof-name=${service}-${Date.now()}.cpuprofile`] : [];
}

/** How much of a process's latest output is kept for the error when it dies while starting. */
const OUTPUT_TAIL_LINES = 40;
const OUTPUT_TAIL_BYTES = 64 * 1024;

/**
 * One service as a real OS process (`node dist/apps/<svc>/src/main.js`, or its TypeScript source:
 * see ServiceMode), the way the platform runs it,
 * isolated from a running platform by its own Postgres schema, Temporal task queue and Kafka topics
 * (the processes of one run share `e2eTopics(runId)`, so they talk to each other and to nothing
 * else). Tests can SIGTERM it, kill -9 it and start it again on the same schema, port and queue.
 */
/** Starts of one process tried on a new port after another process took its port first. */
const MAX_PORT_ATTEMPTS = 3;

/** A service process that exited before it was SERVING, with the tail of its output. */
class ServiceExitedError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'ServiceExitedError';
  }
}

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private client: GrpcClient | undefined;
  private recentOutput = '';

  private constructor(
    readonly service: ServiceName,
    private boundPort: number,
    /** The ACLs its Kafka user was given for this run (endRun removes them). */
    readonly kafkaAcls: readonly AclEntry[],
    readonly env: Readonly<Record<string, string>>,
    readonly mode: ServiceMode = defaultServiceMode(),
  ) {}

  /** `env` adds to (or overrides) the isolation variables, e.g. TEMPORAL_NAMESPACE. */
  static async create(service: ServiceName, runId: string, env: Readonly<Record<string, string>> = {}, mode: ServiceMode = defaultServiceMode()): Promise<ServiceProcess> {
    const schema = `${service.replace(/-/g, '_')}_e2e_${runId}`;
    const topicPrefix = env['KAFKA_TOPIC_PREFIX'] ?? e2eTopics(runId).prefix;
    // The process connects as the service's own Kafka user, allowed only this run's resources.
    const credentials = devKafkaCredentials(service);
    const acls = credentials['KAFKA_SASL_USERNAME'] ? await applyPlatformAcls(createKafka(`e2e-acls-${runId}`), { topicPrefix, schemaSuffix: `_e2e_${runId}` }, [service]) : [];
    return new ServiceProcess(service, await freePort(), acls, {
      DB_SCHEMA: schema,
      // Its own login role (pf_<service>); the owner (MIGRATION_DATABASE_URL) only migrates.
      DATABASE_URL: developmentServiceDatabaseUrl(service, databaseUrlFromEnv()),
      TEMPORAL_TASK_QUEUE: `${service}-e2e-${runId}`,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'info',
      ...credentials,
      ...env,
    }, mode);
  }

  /** Its gRPC port: chosen free at create(), kept across restarts (a new one only when another process took it before the first start bound it). */
  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get schema(): string {
    return this.env['DB_SCHEMA'];
  }

  /** The Kafka topics of this process (KAFKA_TOPIC_PREFIX). */
  get topics(): TestTopics {
    return new TestTopics(this.env['KAFKA_TOPIC_PREFIX']);
  }

  get taskQueue(): string {
    return this.env['TEMPORAL_TASK_QUEUE'];
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Where the process's stdout and stderr (JSON log lines) go. */
  get logFile(): string {
    return join(LOG_DIR, `${this.service}-${this.schema}.log`);
  }

  /** Whether the process was started and has not exited. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Resolves once the process is SERVING; `pollMs` is how often its health is asked (a bench asks
   * often). A free port is only free when it was looked at: a first start whose port another
   * process took meanwhile (EADDRINUSE) starts again on a new one.
   */
  async start(options: { readonly pollMs?: number } = {}): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce(options);
      } catch (error) {
        const portTaken = error instanceof ServiceExitedError && error.output.includes('EADDRINUSE');
        if (!portTaken || this.client !== undefined || attempt >= MAX_PORT_ATTEMPTS) throw error;
        this.boundPort = await freePort();
      }
    }
  }

  private async startOnce(options: { readonly pollMs?: number }): Promise<void> {
    if (this.mode === 'compiled') await ensureBuilt();
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, serviceCommand(this.service, this.mode), {
      cwd: ROOT,
      // MALLOC_ARENA_MAX as scripts/platform.sh and the Dockerfile run the services.
      env: { ...process.env, MALLOC_ARENA_MAX: '2', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), ...this.env, GRPC_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both streams into one file, ended once the process's output has closed: a pipe that ended the
    // file when stdout closed would make the next stderr chunk a write after end.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
    this.recentOutput = '';
    const remember = (chunk: Buffer): void => {
      this.recentOutput = (this.recentOutput + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    // A process that died is not waited for: the wait ends at its exit, with its last output. Its
    // own service's health, not the server's (""): another service on the port is not this one.
    const serviceName = GRPC_CONTRACTS[this.service].fullServiceName;
    const status = await eventually(
      async () => (child.exitCode !== null || child.signalCode !== null ? 'EXITED' : checkHealth(this.address, serviceName, 1_000)),
      (s) => s === 'SERVING' || s === 'EXITED',
      { timeoutMs: 120_000, intervalMs: options.pollMs ?? 500, what: `${this.service} to be SERVING on ${this.address} (log: ${LOG_DIR})` },
    );
    if (status === 'EXITED') {
      await closed;
      const tail = this.recentOutput.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
      throw new ServiceExitedError(`${this.service} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was SERVING; its last output:\n${tail}`, tail);
    }
  }

  /**
   * Graceful stop; resolves with the exit code. A process still running `graceMs` after its
   * SIGTERM is killed (and resolves with null), so a service whose shutdown hangs fails its test
   * instead of holding the whole run open.
   */
  async stop(graceMs = 45_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** No grace at all: the process dies wherever it is. */
  async kill9(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  call<Response>(method: string, request: unknown, headers: Record<string, string>, timeoutMs = 10_000): Promise<Response> {
    return callUnary<Response>(this.grpcClient(), method, request, headers, timeoutMs);
  }

  /**
   * A command, with the consistency token of its reply: send it back (readAfter) on a query of
   * this or another service to read what the command wrote, without polling.
   */
  async command<Response>(method: string, request: unknown, headers: Record<string, string>, timeoutMs = 10_000): Promise<{ response: Response; token: string }> {
    const reply = await callUnaryWithHeaders<Response>(this.grpcClient(), method, request, headers, timeoutMs);
    const [token] = reply.headers.get(CONSISTENCY_HEADER);
    if (typeof token !== 'string') throw new Error(`${this.service} ${method} replied without ${CONSISTENCY_HEADER}`);
    return { response: reply.response, token };
  }

  private grpcClient(): NonNullable<typeof this.client> {
    const contract = GRPC_CONTRACTS[this.service];
    this.client ??= createGrpcClient({ address: this.address, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    return this.client;
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
