import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client, credentials, InterceptingCall, type Interceptor, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { ServiceName } from '@projectflo/contracts';
import type { IdPool } from './id-pool';
import type { FuzzRequest, RequestGenerator } from './request-generator';

/** Answers that mean the server did not handle the input: each is a finding. */
export const FAILURE_CODES: readonly status[] = [status.INTERNAL, status.UNKNOWN];

/**
 * Codes a client reads as "not handled: retry later" (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED)
 * or "too big" (RESOURCE_EXHAUSTED). Every one of them is sampled with its cause, whoever produced it.
 */
export const TRANSPORT_CODES: readonly status[] = [status.CANCELLED, status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED];

/**
 * Who produced a status. `service`: the server answered — its status came as a response
 * (trailers-only, carrying the response's content-type), or after its response headers and not
 * in one of grpc-js's own words. `client`: grpc-js made it up itself — its deadline fired, the
 * connection dropped, the server refused or reset the stream — or it refused to send the request
 * (NOT_SENT), so the service never answered it.
 */
export type Origin = 'service' | 'client';

export interface FailureRecord {
  readonly seq: number;
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly mode: string;
  readonly label: string;
  readonly code: string;
  readonly details: string;
  readonly headers: readonly (readonly [string, string])[];
  /** The exact request body, for replay. */
  readonly bodyHex: string;
  readonly message: unknown;
}

/** A request that got one of TRANSPORT_CODES, or any status grpc-js made up: what was sent, what came back, from whom, after how long. */
export interface TransportRecord {
  readonly seq: number;
  readonly service: ServiceName;
  readonly method: string;
  readonly mode: string;
  readonly label: string;
  readonly code: string;
  readonly origin: Origin;
  readonly details: string;
  /** When it was sent, from the campaign's start. */
  readonly sentAtMs: number;
  readonly elapsedMs: number;
  readonly bodyBytes: number;
}

/** Per service, by gRPC status name. */
export type StatusCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface CampaignResult {
  readonly requests: number;
  readonly durationMs: number;
  /** Statuses the services answered, per service. */
  readonly counts: StatusCounts;
  /** Statuses grpc-js produced itself (origin `client`): the service never answered these requests. */
  readonly unanswered: StatusCounts;
  readonly failures: readonly FailureRecord[];
  /** Every request that got one of TRANSPORT_CODES (from either origin) or a status of the client's own. */
  readonly transport: readonly TransportRecord[];
}

export interface CampaignOptions {
  readonly generator: RequestGenerator;
  readonly pool: IdPool;
  readonly requests: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly addresses: Readonly<Record<ServiceName, string>>;
  /** JSON lines of every INTERNAL or UNKNOWN answer are appended here. */
  readonly failureFile: string;
  readonly deadlineMs?: number;
  readonly onProgress?: (done: number) => void;
}

/** Not a gRPC status: grpc-js refused to send the request at all (e.g. a header value it cannot carry). */
export const NOT_SENT = -1;

export const statusName = (code: number): string => (code === NOT_SENT ? 'NOT_SENT' : (status[code] ?? `CODE_${code}`));

/**
 * Sends `requests` generated requests, `concurrency` at a time, as raw bytes (a grpc-js client
 * with identity serializers, so undecodable bodies reach the server as they are). Counts the
 * answers by status, harvests ids from OK answers, and records every INTERNAL or UNKNOWN answer.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const clients = new Map<ServiceName, Client>();
  const client = (service: ServiceName) => {
    let c = clients.get(service);
    if (!c) {
      c = new Client(options.addresses[service], credentials.createInsecure(), {
        'grpc.max_send_message_length': -1,
        'grpc.max_receive_message_length': -1,
      });
      clients.set(service, c);
    }
    return c;
  };
  mkdirSync(dirname(options.failureFile), { recursive: true });
  const failureLog = createWriteStream(options.failureFile, { flags: 'a' });
  const counts: Record<string, Record<string, number>> = {};
  const unanswered: Record<string, Record<string, number>> = {};
  const failures: FailureRecord[] = [];
  const transport: TransportRecord[] = [];
  let next = 0;
  let done = 0;

  const worker = async () => {
    for (let seq = next++; seq < options.requests; seq = next++) {
      const request = options.generator.generate(seq);
      const sentAt = Date.now();
      const answer = await send(client(request.rpc.service), request.rpc.path, request.headers, request.body, options.deadlineMs ?? 20_000);
      const name = statusName(answer.code);
      const perService = ((answer.origin === 'service' ? counts : unanswered)[request.rpc.service] ??= {});
      perService[name] = (perService[name] ?? 0) + 1;
      if (TRANSPORT_CODES.includes(answer.code) || answer.origin === 'client') {
        transport.push({
          seq,
          service: request.rpc.service,
          method: request.rpc.method,
          mode: request.mode,
          label: request.label,
          code: name,
          origin: answer.origin,
          details: answer.details,
          sentAtMs: sentAt - started,
          elapsedMs: Date.now() - sentAt,
          bodyBytes: request.body.length,
        });
      }
      if (answer.code === status.OK && request.tenant !== undefined && answer.response) {
        options.pool.harvest(request.tenant, request.rpc.responseType.toObject(request.rpc.responseType.decode(answer.response), { longs: String, enums: Number }));
      }
      if (FAILURE_CODES.includes(answer.code)) {
        const record: FailureRecord = {
          seq,
          service: request.rpc.service,
          method: request.rpc.method,
          path: request.rpc.path,
          mode: request.mode,
          label: request.label,
          code: name,
          details: answer.details,
          headers: request.headers,
          bodyHex: request.body.toString('hex'),
          message: request.message,
        };
        failures.push(record);
        failureLog.write(`${JSON.stringify(record)}\n`);
      }
      options.onProgress?.(++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    for (const c of clients.values()) c.close();
    await new Promise((resolve) => failureLog.end(resolve));
  }
  return { requests: options.requests, durationMs: Date.now() - started, counts, unanswered, failures, transport };
}

export interface Answer {
  readonly code: number;
  readonly details: string;
  readonly origin: Origin;
  readonly response?: Buffer;
}

/** The texts of the statuses grpc-js (1.14) makes up on the client, when a call ends without the server's status. */
const CLIENT_STATUS_TEXT =
  /^(Connection dropped|Stream refused by server|Call cancelled|Deadline exceeded|Received RST_STREAM with code|Bandwidth exhausted|Write (error|failed)|No connection established|Channel closed before call started|Failed to start HTTP\/2 stream)/;

/** One unary call of raw bytes; the answer's status and its origin (see Origin), never a rejection. */
export function send(client: Client, path: string, headers: FuzzRequest['headers'], body: Buffer, deadlineMs: number): Promise<Answer> {
  const metadata = new Metadata();
  try {
    for (const [key, value] of headers) metadata.add(key, value);
  } catch (error) {
    return Promise.resolve({ code: NOT_SENT, details: `grpc-js refused to send it: ${(error as Error).message}`, origin: 'client' });
  }
  let responseHeaders = false;
  let trailersOnly = false;
  const observeResponse: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start: (outgoing, listener, next) =>
        next(outgoing, {
          onReceiveMetadata: (received, nextMetadata) => {
            responseHeaders = true;
            nextMetadata(received);
          },
          onReceiveStatus: (received, nextStatus) => {
            trailersOnly = received.metadata.get('content-type').length > 0;
            nextStatus(received);
          },
        }),
    });
  const origin = (error: ServiceError): Origin => (trailersOnly || (responseHeaders && !CLIENT_STATUS_TEXT.test(error.details)) ? 'service' : 'client');
  const identity = (b: Buffer) => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest<Buffer, Buffer>(
      path,
      identity,
      identity,
      body,
      metadata,
      { deadline: new Date(Date.now() + deadlineMs), interceptors: [observeResponse] },
      (error: ServiceError | null, response?: Buffer) =>
        resolve(error ? { code: error.code, details: error.details, origin: origin(error) } : { code: status.OK, details: '', origin: 'service', response }),
    );
  });
}

/** The answers per service as a table, one column per status that occurred. */
export function formatCounts(counts: CampaignResult['counts']): string {
  const codes = [...new Set(Object.values(counts).flatMap((c) => Object.keys(c)))].sort(
    (a, b) => ((status[a as keyof typeof status] as number | undefined) ?? NOT_SENT) - ((status[b as keyof typeof status] as number | undefined) ?? NOT_SENT),
  );
  const rows = [['service', ...codes, 'total']];
  const totals = codes.map(() => 0);
  for (const [service, byCode] of Object.entries(counts).sort()) {
    const cells = codes.map((code, i) => {
      totals[i]! += byCode[code] ?? 0;
      return String(byCode[code] ?? 0);
    });
    rows.push([service, ...cells, String(Object.values(byCode).reduce((a, b) => a + b, 0))]);
  }
  rows.push(['all', ...totals.map(String), String(totals.reduce((a, b) => a + b, 0))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}
