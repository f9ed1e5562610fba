/**
 * A seeded fuzz campaign against the five services (test/e2e/fuzz), as the e2e test runs it:
 *
 *   node -r @swc-node/register scripts/fuzz.ts [--seed N] [--requests 10000] [--concurrency 16]
 *
 * Starts crm, task-engine, build-ledger, scheduling and notifications as real processes on their
 * own schemas, task queues and topics (infrastructure from scripts/infra.sh; `source scripts/env.sh`),
 * gives each of three fresh tenants a small fixture, then sends generated requests over every RPC
 * of every service: plausible values, values at and past every bound, random bytes, missing,
 * malformed, expired, forged or foreign access tokens. Prints the answers by status per service — what the services answered
 * apart from what grpc-js made up itself (its deadline, a dropped connection, a refused stream) —
 * with every UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED and CANCELLED grouped by cause and
 * sampled; groups every INTERNAL or UNKNOWN answer by the error the service logged; checks that
 * every process still runs and is SERVING and that every read model equals a rebuild from its
 * event store. Exit 0 when all of that holds and no status is unexplained (see
 * unexplainedStatuses), 1 otherwise.
 *
 * The seed (printed; random when not given) determines every request but the ids taken from
 * earlier answers, whose order depends on timing. So every INTERNAL or UNKNOWN answer is also
 * recorded verbatim (headers, body as hex) in .infra/fuzz/seed-<N>-<run>/failures.jsonl, and
 *
 *   node -r @swc-node/register scripts/fuzz.ts --replay <failures.jsonl> [--address host:port]
 *
 * sends those exact requests again — by default to the platform of scripts/platform.sh
 * (deploy/ports.json) — and prints each answer's status. The campaign's test issuer is gone by
 * then, so a well-formed request's token is signed again, with the same claims, by the
 * development keys (scripts/auth.ts) that platform trusts; a hostile one is sent as recorded.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Client, credentials } from '@grpc/grpc-js';
import { GRPC_PORTS, type ServiceName } from '@projectflo/contracts';
import { isRole, TOKEN_CLAIMS } from '@projectflo/platform/auth';
import { decodeJwt } from 'jose';
import { FAILURE_CODES, type FailureRecord, send, statusName } from '../test/e2e/fuzz/campaign';
import { campaignPassed, formatReport, runPlatformFuzz } from '../test/e2e/fuzz/platform-fuzz';
import { devToken } from './auth';

const USAGE = 'usage: fuzz.ts [--seed N] [--requests N] [--concurrency N] | --replay <failures.jsonl> [--address host:port]';

function parseArgs(argv: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    if (!['--seed', '--requests', '--concurrency', '--replay', '--address'].includes(flag)) throw new Error(`unknown argument ${flag}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    args[flag.slice(2)] = value;
  }
  return args;
}

function positiveInt(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`${what} must be an integer 0..4294967295, got ${value}`);
  return n;
}

/** `Bearer <token>` with the recorded token's tenant, user and roles, signed by the development keys. */
function reissued(authorization: string): string {
  const claims = decodeJwt(authorization.replace(/^Bearer +/i, ''));
  const roles = Array.isArray(claims[TOKEN_CLAIMS.roles]) ? (claims[TOKEN_CLAIMS.roles] as string[]).filter(isRole) : [];
  return `Bearer ${devToken(String(claims[TOKEN_CLAIMS.tenant]), String(claims.sub), roles)}`;
}

async function replay(file: string, address: string | undefined): Promise<number> {
  const records = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as FailureRecord);
  const clients = new Map<string, Client>();
  let stillFailing = 0;
  let unreachable = 0;
  for (const r of records) {
    const target = address ?? `127.0.0.1:${GRPC_PORTS[r.service as ServiceName]}`;
    let client = clients.get(target);
    if (!client) clients.set(target, (client = new Client(target, credentials.createInsecure(), { 'grpc.max_send_message_length': -1 })));
    const headers = r.mode === 'metadata' ? r.headers : r.headers.map(([key, value]) => [key, key === 'authorization' ? reissued(value) : value] as const);
    const answer = await send(client, r.path, headers, Buffer.from(r.bodyHex, 'hex'), 20_000);
    if (FAILURE_CODES.includes(answer.code)) stillFailing++;
    if (answer.origin === 'client') unreachable++;
    const now = `${statusName(answer.code)} from the ${answer.origin}${answer.details ? ` (${answer.details})` : ''}`;
    process.stdout.write(`seq ${r.seq} ${r.method} ${r.mode} ${r.label}: was ${r.code}, now ${now}\n`);
  }
  for (const c of clients.values()) c.close();
  process.stdout.write(`${records.length} replayed: ${stillFailing} still INTERNAL or UNKNOWN, ${unreachable} not answered by the service (a status grpc-js made up)\n`);
  return stillFailing === 0 && unreachable === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args['replay']) return replay(args['replay'], args['address']);
  const seed = positiveInt(args['seed'], Math.floor(Math.random() * 0xffffffff), '--seed');
  const requests = positiveInt(args['requests'], 10_000, '--requests');
  const concurrency = Math.max(1, positiveInt(args['concurrency'], 16, '--concurrency'));
  process.stdout.write(`fuzz seed ${seed}\n`);
  const report = await runPlatformFuzz({ seed, requests, concurrency, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`\n${formatReport(report)}\n`);
  return campaignPassed(report) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
