import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { type Permission, type Principal, rolesGrant, SERVICE_SUBJECT_PREFIX, serviceGranted, type TokenVerifier } from '@projectflo/platform/auth';
import { errorFields, type Logger } from '@projectflo/platform/logging';

/** What a caller of the codec endpoint must be granted (docs/SECURITY.md, permissions.ts). */
export const DECODE_PAYLOADS: Permission = 'operations.decode-payloads';

/** A Temporal Web UI's request body is a page of history payloads; far below this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface CodecServerOptions {
  readonly codec: PayloadCodec;
  readonly verifier: TokenVerifier;
  /** The one namespace whose payloads this endpoint encodes and decodes (the X-Namespace header). */
  readonly namespace: string;
  /** Browser origins allowed to call (CORS), e.g. the Web UI `http://127.0.0.1:8233`. */
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
}

/** A payload as Temporal's remote codec protocol writes it: metadata values and data in base64. */
interface JsonPayload {
  readonly metadata?: Record<string, string> | null;
  readonly data?: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function fromJson(payload: JsonPayload): Payload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')]));
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

function payloadsOf(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'expected {"payloads": [...]}');
  return payloads.map((payload) => {
    if (typeof payload !== 'object' || payload === null) throw new HttpError(400, 'every payload is an object');
    return fromJson(payload as JsonPayload);
  });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the request body is not JSON');
  }
}

/** Whether the principal holds the permission: a user through its roles, a service through its grants. */
function granted(principal: Principal, permission: Permission): boolean {
  return principal.kind === 'service'
    ? serviceGranted(principal.userId.slice(SERVICE_SUBJECT_PREFIX.length), permission)
    : rolesGrant(principal.roles, permission);
}

/**
 * Temporal's remote codec protocol (POST /encode and /decode, `{ payloads: [...] }` in and out)
 * over the one payload codec, for the Web UI and the CLI (`--codec-endpoint`). Every call needs a
 * bearer token (the UI passes its user's with `passAccessToken`; the CLI with `--codec-auth`)
 * whose principal is granted `operations.decode-payloads`; anything else is 401/403 and decodes
 * nothing. Log lines name the caller and the payload count, never a payload.
 */
export function createCodecServer(options: CodecServerOptions): Server {
  const origins = new Set(options.allowedOrigins);

  const cors = (request: IncomingMessage, response: ServerResponse): void => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins.has(origin)) return;
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    response.setHeader('Vary', 'Origin');
  };

  const authorize = async (request: IncomingMessage): Promise<Principal> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null) throw new HttpError(401, 'a bearer token is required');
    let principal: Principal;
    try {
      principal = await options.verifier.verify(match[1]!);
    } catch (error) {
      throw new HttpError(401, error instanceof Error ? error.message : 'the token is not accepted');
    }
    if (!granted(principal, DECODE_PAYLOADS)) throw new HttpError(403, `${principal.userId} is not granted ${DECODE_PAYLOADS}`);
    return principal;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    cors(request, response);
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const operation = request.url === '/encode' ? 'encode' : request.url === '/decode' ? 'decode' : undefined;
    if (operation === undefined) throw new HttpError(404, 'POST /encode or /decode');
    if (request.method !== 'POST') throw new HttpError(405, 'POST only');
    const namespace = request.headers['x-namespace'];
    if (namespace !== undefined && namespace !== options.namespace) throw new HttpError(403, `this endpoint serves namespace ${options.namespace} only`);
    const principal = await authorize(request);
    const payloads = payloadsOf(await readJson(request));
    const result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    options.logger.info('payloads coded', { operation, payloads: payloads.length, caller: principal.userId, tenantId: principal.tenantId });
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ payloads: result.map(toJson) }));
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status >= 500) options.logger.error('codec request failed', errorFields(error));
      else options.logger.warn('codec request refused', { status, reason: error instanceof Error ? error.message : String(error), path: request.url });
      if (!response.headersSent) response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: status >= 500 ? 'the payloads could not be coded' : (error as Error).message }));
    });
  });
}
