import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProduction } from '@projectflo/platform/config';
import { type Keyring, parseKeyring } from '@projectflo/platform/secrets';
import { findWorkspaceRoot } from './workflow-bundler';

/** The AES-256 keys the payload codec decrypts with, and the one it encrypts new payloads with. */
export type PayloadKeyring = Keyring;

/** How messages name these keys. */
export const PAYLOAD_KEY = 'payload key';

/**
 * Reads `kid:base64key,kid:base64key` (TEMPORAL_PAYLOAD_KEYS) and the id of the key new payloads
 * use (TEMPORAL_PAYLOAD_KEY_ID; may be omitted when there is exactly one key).
 */
export function parsePayloadKeys(spec: string, currentKeyId?: string): PayloadKeyring {
  return parseKeyring(spec, currentKeyId, PAYLOAD_KEY);
}

/** Where scripts/infra.sh writes the development payload key (`kid:base64key`) when it is missing. */
export function devPayloadKeyFile(stateDir: string = process.env['PROJECTFLO_STATE'] ?? join(findWorkspaceRoot(), '.infra')): string {
  return join(stateDir, 'secrets', 'temporal-payload-keys');
}

/** The settings of the codec's keys (environment variables, or a loaded service configuration). */
export interface PayloadKeySettings {
  readonly [name: string]: unknown;
  readonly TEMPORAL_PAYLOAD_KEYS?: string | undefined;
  readonly TEMPORAL_PAYLOAD_KEY_ID?: string | undefined;
  readonly PROJECTFLO_ENV?: string | undefined;
  readonly NODE_ENV?: string | undefined;
}

/**
 * The keyring from TEMPORAL_PAYLOAD_KEYS and TEMPORAL_PAYLOAD_KEY_ID. In development with neither
 * set, the key scripts/infra.sh generated is used; production (or no such file) refuses to start
 * rather than write payloads in plaintext or under a development key.
 */
export function payloadKeyringFromEnv(settings: PayloadKeySettings = process.env): PayloadKeyring {
  const spec = settings.TEMPORAL_PAYLOAD_KEYS?.trim();
  const currentKeyId = settings.TEMPORAL_PAYLOAD_KEY_ID?.trim() || undefined;
  if (spec) return parsePayloadKeys(spec, currentKeyId);
  const required = 'TEMPORAL_PAYLOAD_KEYS is required (kid:base64key,... of the AES-256 keys Temporal payloads are encrypted with)';
  const production = isProduction({ PROJECTFLO_ENV: settings.PROJECTFLO_ENV === 'production' ? 'production' : 'development', NODE_ENV: settings.NODE_ENV });
  if (production) throw new Error(`${required}; production never uses the development key`);
  const devFile = devPayloadKeyFile();
  if (!existsSync(devFile)) throw new Error(`${required}; no development key at ${devFile} either (scripts/infra.sh up writes one)`);
  return parsePayloadKeys(readFileSync(devFile, 'utf8'), currentKeyId);
}
