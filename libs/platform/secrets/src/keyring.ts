import { randomBytes } from 'node:crypto';

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
