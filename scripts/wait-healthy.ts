/**
 * Waits until each named service answers the standard gRPC health check with SERVING. Given the
 * pid (and log) of a service's process, it stops waiting the moment that process dies and prints
 * the tail of its log instead of waiting out the timeout.
 * Usage: node -r @swc-node/register scripts/wait-healthy.ts crm=127.0.0.1:50051 ...
 *          [--pid crm=1234 --log crm=.infra/logs/crm.log ...] [--timeout 120]
 * Exits 0 when all are SERVING, 1 when one died or the timeout passed.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

type HealthClient = grpc.Client & {
  check(req: { service: string }, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string }) => void): void;
};

const LOG_TAIL_LINES = 40;
const definition = protoLoader.loadSync(protoPath, { keepCase: true, enums: String });
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  grpc: { health: { v1: { Health: new (address: string, creds: grpc.ChannelCredentials) => HealthClient } } };
};

interface Target {
  readonly name: string;
  readonly address: string;
  readonly pid?: number;
  readonly log?: string;
}

function check(address: string): Promise<string> {
  const client = new loaded.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.check({ service: '' }, { deadline: Date.now() + 2000 }, (err, res) => {
      client.close();
      resolve(err ? `error: ${err.details || err.message}` : (res?.status ?? 'UNKNOWN'));
    });
  });
}

/** Whether the process is gone (a zombie counts as gone: it has exited, its parent just has not reaped it). */
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = `/proc/${pid}/stat`;
  // The state is the field after the parenthesised command name.
  return existsSync(stat) && /\)\s+Z\s/.test(readFileSync(stat, 'utf8'));
}

function logTail(path: string | undefined): string {
  if (path === undefined) return '  (no log given)';
  if (!existsSync(path)) return `  (no log at ${path})`;
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES);
  return `  last ${lines.length} lines of ${path}:\n${lines.map((l) => `    ${l}`).join('\n')}`;
}

/** `name=value` pairs of a repeated flag, e.g. `--pid crm=1234`. */
function namedValues(args: string[], flag: string): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = args.indexOf(flag); i >= 0; i = args.indexOf(flag)) {
    const [name, value] = splitPair(args.splice(i, 2)[1], flag);
    values.set(name, value);
  }
  return values;
}

function splitPair(pair: string | undefined, what: string): [string, string] {
  const at = pair?.indexOf('=') ?? -1;
  if (pair === undefined || at <= 0) throw new Error(`expected name=value for ${what}, got ${JSON.stringify(pair)}`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function parseArgs(argv: string[]): { targets: Target[]; timeoutSeconds: number } {
  const args = [...argv];
  const timeoutIndex = args.indexOf('--timeout');
  const timeoutSeconds = timeoutIndex >= 0 ? Number(args.splice(timeoutIndex, 2)[1]) : 120;
  const pids = namedValues(args, '--pid');
  const logs = namedValues(args, '--log');
  const targets = args.map((arg) => {
    const [name, address] = splitPair(arg, 'a target');
    const pid = pids.get(name);
    return { name, address, ...(pid !== undefined ? { pid: Number(pid) } : {}), ...(logs.has(name) ? { log: logs.get(name) } : {}) };
  });
  return { targets, timeoutSeconds };
}

async function main(): Promise<void> {
  const { targets, timeoutSeconds } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  const pending = new Map(targets.map((t) => [t.name, t]));
  const last = new Map<string, string>();
  while (pending.size > 0 && Date.now() < deadline) {
    for (const target of [...pending.values()]) {
      const status = await check(target.address);
      last.set(target.name, status);
      if (status === 'SERVING') {
        console.log(`  ${target.name.padEnd(14)} SERVING on ${target.address} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        pending.delete(target.name);
      } else if (target.pid !== undefined && isDead(target.pid)) {
        console.error(`  ${target.name} (pid ${target.pid}) died during start-up (last health answer: ${status})\n${logTail(target.log)}`);
        process.exit(1);
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  if (pending.size > 0) {
    for (const target of pending.values()) {
      console.error(`  ${target.name} on ${target.address} not healthy after ${timeoutSeconds} s: ${last.get(target.name)}\n${logTail(target.log)}`);
    }
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(`wait-healthy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
