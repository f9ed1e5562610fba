import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { createTokenVerifier, generateSigningKey, type Role, serviceSubject, signToken } from '@projectflo/platform/auth';
import { systemClock } from '@projectflo/platform/core';
import { silentLogger } from '@projectflo/platform/logging';
import { generateKey } from '@projectflo/platform/secrets';
import { createCodecServer } from './codec-server';
import { AesGcmPayloadCodec } from './payload-codec';
import { parsePayloadKeys } from './payload-keys';

// The codec endpoint of the Temporal Web UI as a real HTTP server on loopback: Temporal's remote
// codec protocol, CORS for the UI's origin, and decoding only for a caller granted
// operations.decode-payloads.

const UI_ORIGIN = 'http://127.0.0.1:8233';
const NAMESPACE = 'projectflo';
const TENANT = '0b8f7a2e-8d1c-4a57-9a0e-3c5d2f1e6b7a';
const SENTINEL = { name: 'Sentinel Zq7 Codec', email: 'sentinel-zq7@example.test' };
const key = generateSigningKey();
const codec = new AesGcmPayloadCodec(parsePayloadKeys(generateKey('k-test')));
const dir = mkdtempSync(join(tmpdir(), 'codec-server-'));
writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [key.publicJwk] }));
const verifier = createTokenVerifier({ jwksFile: join(dir, 'jwks.json'), issuer: 'it', audience: 'projectflo', clock: systemClock });

const token = (subject: string, roles: readonly Role[], issuedAt = new Date()): string =>
  signToken(key, { issuer: 'it', audience: 'projectflo', tenantId: TENANT, subject, roles, issuedAt, ttlSeconds: 600 });
const OPERATIONS = token(serviceSubject('operations'), []);

let server: Server;
let base: string;

beforeAll(async () => {
  server = createCodecServer({ codec, verifier, namespace: NAMESPACE, allowedOrigins: [UI_ORIGIN], logger: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const toWire = (payload: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': NAMESPACE, origin: UI_ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
}

async function encryptedSentinel(): Promise<ReturnType<typeof toWire>> {
  const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(SENTINEL)]);
  return toWire(encrypted!);
}

describe('codec endpoint', () => {
  it('decodes for a caller granted operations.decode-payloads, with CORS for the UI origin', async () => {
    const response = await post('/decode', { payloads: [await encryptedSentinel()] }, { authorization: `Bearer ${OPERATIONS}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const { payloads } = (await response.json()) as { payloads: ReturnType<typeof toWire>[] };
    expect(payloads).toHaveLength(1);
    expect(Buffer.from(payloads[0]!.data, 'base64').toString('utf8')).toBe(JSON.stringify(SENTINEL));
    expect(Buffer.from(payloads[0]!.metadata['encoding']!, 'base64').toString('utf8')).toBe('json/plain');
  });

  it('encodes into ciphertext that decodes back', async () => {
    const plain = toWire(defaultPayloadConverter.toPayload(SENTINEL));
    const encoded = (await (await post('/encode', { payloads: [plain] }, { authorization: `Bearer ${OPERATIONS}` })).json()) as { payloads: ReturnType<typeof toWire>[] };
    expect(Buffer.from(encoded.payloads[0]!.data, 'base64').toString('latin1')).not.toContain('Sentinel');
    const decoded = (await (await post('/decode', encoded, { authorization: `Bearer ${OPERATIONS}` })).json()) as { payloads: ReturnType<typeof toWire>[] };
    expect(decoded.payloads).toEqual([plain]);
  });

  it.each([
    ['no token', {}, 401],
    ['a malformed authorization header', { authorization: 'Basic b3BzOnB3' }, 401],
    ['a forged signature', { authorization: `Bearer ${signToken({ kid: key.kid, privateJwk: generateSigningKey().privateJwk }, { issuer: 'it', audience: 'projectflo', tenantId: TENANT, subject: 'service:operations', roles: [], issuedAt: new Date(), ttlSeconds: 600 })}` }, 401],
    ['an expired token', { authorization: `Bearer ${token(serviceSubject('operations'), [], new Date(Date.now() - 3_600_000))}` }, 401],
    ['an owner of a tenant (no operations grant)', { authorization: `Bearer ${token('user-1', ['owner'])}` }, 403],
    ['another service', { authorization: `Bearer ${token(serviceSubject('task-engine'), [])}` }, 403],
    ['another namespace', { authorization: `Bearer ${OPERATIONS}`, 'x-namespace': 'other' }, 403],
  ])('refuses %s and decodes nothing', async (_what, headers: Record<string, string>, status) => {
    const response = await post('/decode', { payloads: [await encryptedSentinel()] }, headers);
    expect(response.status).toBe(status);
    expect(await response.text()).not.toContain('Sentinel');
  });

  it('answers the preflight of the UI origin and not of another origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' } });
    const ui = await preflight(UI_ORIGIN);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects a body that is not {payloads: [...]}', async () => {
    expect((await post('/decode', { nope: 1 }, { authorization: `Bearer ${OPERATIONS}` })).status).toBe(400);
    expect((await post('/other', { payloads: [] }, { authorization: `Bearer ${OPERATIONS}` })).status).toBe(404);
  });
});
