import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** AES-256 keys by id: every key decrypts, the current one encrypts what is written now. */
export interface Keyring {
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Reads `kid:base64key,kid:base64key` and the id of the current key (may be omitted when there is
 * exactly one). `what` names the keys in messages ("payload key"); messages name key ids, never
 * key material. Adding a key and then making it current is a rotation: both steps keep every
 * value readable.
 */
export function parseKeyring(spec: string, currentKeyId: string | undefined, what: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(kid)) throw new Error(`every ${what} is written kid:base64key, the kid 1-64 of letters, digits and . _ -`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${what} ${kid} must be ${KEY_BYTES} bytes (base64), got ${key.length}`);
    if (keys.has(kid)) throw new Error(`${what} ${kid} is listed twice`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw new Error(`no ${what} is configured`);
  const current = currentKeyId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (current === undefined) throw new Error(`several ${what}s are configured: name the current one`);
  if (!keys.has(current)) throw new Error(`the current ${what}, ${current}, is not among the configured keys`);
  return { currentKeyId: current, keys };
}

/** A new random key in the `kid:base64key` form a keyring lists. */
export function generateKey(kid: string): string {
  if (!KEY_ID.test(kid)) throw new Error('a kid is 1-64 of letters, digits and . _ -');
  return `${kid}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** The key of `kid`, or an error naming the key id and where keys are configured. */
export function keyOf(keyring: Keyring, kid: string, what: string): Buffer {
  const key = keyring.keys.get(kid);
  if (key === undefined) throw new Error(`${what} ${kid} is not configured`);
  return key;
}

/** Where scripts/infra.sh writes development keys: `<PROJECTFLO_STATE, default <repo>/.infra>/secrets`. */
export function devSecretsDir(stateDir: string = process.env['PROJECTFLO_STATE'] ?? join(__dirname, '..', '..', '..', '..', '.infra')): string {
  return join(stateDir, 'secrets');
}

/** Where a keyring comes from: its variables' values, and the development key used when they are unset. */
export interface KeyringSource {
  /** How messages name the keys, e.g. "payload key". */
  readonly what: string;
  /** The variable that lists the keys, e.g. TEMPORAL_PAYLOAD_KEYS (named in messages). */
  readonly variable: string;
  readonly spec: string | undefined;
  readonly currentKeyId: string | undefined;
  /** The development key file (in devSecretsDir()) that scripts/infra.sh writes. */
  readonly devKeyFile: string;
  /** A production configuration never falls back to the development key. */
  readonly production: boolean;
}

/**
 * The configured keys; in development with none configured, the key scripts/infra.sh generated.
 * Production without configured keys, or development without the file, refuses to start rather
 * than write plaintext or use a development key.
 */
export function loadKeyring(source: KeyringSource): Keyring {
  const spec = source.spec?.trim();
  const currentKeyId = source.currentKeyId?.trim() || undefined;
  if (spec) return parseKeyring(spec, currentKeyId, source.what);
  const required = `${source.variable} is required (kid:base64key,... of the AES-256 ${source.what}s)`;
  if (source.production) throw new Error(`${required}; production never uses the development key`);
  if (!existsSync(source.devKeyFile)) throw new Error(`${required}; no development key at ${source.devKeyFile} either (scripts/infra.sh up writes one)`);
  return parseKeyring(readFileSync(source.devKeyFile, 'utf8'), currentKeyId, source.what);
}
