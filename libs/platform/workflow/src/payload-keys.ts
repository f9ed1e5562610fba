import { join } from 'node:path';
import { isProduction } from '@projectflo/platform/config';
import { devSecretsDir, type Keyring, loadKeyring, parseKeyring } from '@projectflo/platform/secrets';

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
export function devPayloadKeyFile(): string {
  return join(devSecretsDir(), 'temporal-payload-keys');
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
 * The keyring from TEMPORAL_PAYLOAD_KEYS and TEMPORAL_PAYLOAD_KEY_ID; in development with neither
 * set, the key scripts/infra.sh generated (production refuses to start without them).
 */
export function payloadKeyringFromEnv(settings: PayloadKeySettings = process.env): PayloadKeyring {
  return loadKeyring({
    what: PAYLOAD_KEY,
    variable: 'TEMPORAL_PAYLOAD_KEYS',
    spec: settings.TEMPORAL_PAYLOAD_KEYS,
    currentKeyId: settings.TEMPORAL_PAYLOAD_KEY_ID,
    devKeyFile: devPayloadKeyFile(),
    production: isProduction({ PROJECTFLO_ENV: settings.PROJECTFLO_ENV === 'production' ? 'production' : 'development', NODE_ENV: settings.NODE_ENV }),
  });
}
