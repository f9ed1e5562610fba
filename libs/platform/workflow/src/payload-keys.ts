import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from './workflow-bundler';

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The AES-256 keys a codec may decrypt with, and the one it encrypts new payloads with. */
export interface PayloadKeyring {
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/**
 * Reads `kid:base64key,kid:base64key` (TEMPORAL_PAYLOAD_KEYS) and the id of the key new payloads
 * use (TEMPORAL_PAYLOAD_KEY_ID; may be omitted when there is exactly one key). Messages name key
 * ids, never key material.
 */
export function parsePayloadKeys(spec: string, currentKeyId?: string): PayloadKeyring {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(kid)) throw new Error('every payload key is written kid:base64key, the kid 1-64 of letters, digits and . _ -');
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`payload key ${kid} must be ${KEY_BYTES} bytes (base64), got ${key.length}`);
    if (keys.has(kid)) throw new Error(`payload key ${kid} is listed twice`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw new Error('no payload key is configured');
  const current = currentKeyId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (current === undefined) throw new Error('several payload keys are configured: name the one for new payloads');
  if (!keys.has(current)) throw new Error(`the payload key for new payloads, ${current}, is not among the configured keys`);
  return { currentKeyId: current, keys };
}

/** A new random key in the `kid:base64key` form TEMPORAL_PAYLOAD_KEYS lists. */
export function generatePayloadKey(kid: string): string {
  if (!KEY_ID.test(kid)) throw new Error('a kid is 1-64 of letters, digits and . _ -');
  return `${kid}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** Where scripts/infra.sh writes the development payload key (`kid:base64key`) when it is missing. */
export function devPayloadKeyFile(stateDir: string = process.env['PROJECTFLO_STATE'] ?? join(findWorkspaceRoot(), '.infra')): string {
  return join(stateDir, 'secrets', 'temporal-payload-keys');
}

/** The two settings of the codec's keys (environment variables, or a loaded service configuration). */
export interface PayloadKeySettings {
  readonly [name: string]: unknown;
  readonly TEMPORAL_PAYLOAD_KEYS?: string | undefined;
  readonly TEMPORAL_PAYLOAD_KEY_ID?: string | undefined;
}

/**
 * The keyring from TEMPORAL_PAYLOAD_KEYS and TEMPORAL_PAYLOAD_KEY_ID. On a developer machine with
 * neither set, the key scripts/infra.sh generated is used; with neither set and no such file
 * (a production host), it refuses to start rather than write plaintext.
 */
export function payloadKeyringFromEnv(settings: PayloadKeySettings = process.env): PayloadKeyring {
  const spec = settings.TEMPORAL_PAYLOAD_KEYS?.trim();
  const currentKeyId = settings.TEMPORAL_PAYLOAD_KEY_ID?.trim() || undefined;
  if (spec) return parsePayloadKeys(spec, currentKeyId);
  const devFile = devPayloadKeyFile();
  if (existsSync(devFile)) return parsePayloadKeys(readFileSync(devFile, 'utf8'), currentKeyId);
  throw new Error(
    'TEMPORAL_PAYLOAD_KEYS is required (kid:base64key,... of the AES-256 keys Temporal payloads are encrypted with); ' +
      `no development key at ${devFile} either (scripts/infra.sh up writes one)`,
  );
}
