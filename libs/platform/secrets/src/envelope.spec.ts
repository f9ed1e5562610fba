import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devSecretKeksFile, SecretBox, secretBoxFromSettings, type SealedSecret } from './envelope';
import { generateKey, parseKeyring } from './keyring';
import { Secret } from './secret';

const KEK_2025 = generateKey('kek-2025');
const KEK_2026 = generateKey('kek-2026');
const VALUE = 'smtp-password-Zq81!';
const CONTEXT = { tenantId: 'tenant-a', purpose: 'notification-channel:smtp-password' };

const box = (spec: string, current?: string): SecretBox => new SecretBox(parseKeyring(spec, current, 'key-encryption key'));

describe('SecretBox (envelope encryption)', () => {
  const kek2025 = box(KEK_2025);

  it('seals a secret into ciphertext only, and opens it in the same tenant and purpose', () => {
    const sealed = kek2025.seal(new Secret(VALUE), CONTEXT);
    expect(sealed.kekId).toBe('kek-2025');
    expect(JSON.stringify(sealed)).not.toContain(VALUE);
    expect(kek2025.open(sealed, CONTEXT).reveal()).toBe(VALUE);
  });

  it('uses a new data key for every secret', () => {
    const a = kek2025.seal(new Secret(VALUE), CONTEXT);
    const b = kek2025.seal(new Secret(VALUE), CONTEXT);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('refuses to open a secret for another tenant or another purpose', () => {
    const sealed = kek2025.seal(new Secret(VALUE), CONTEXT);
    expect(() => kek2025.open(sealed, { ...CONTEXT, tenantId: 'tenant-b' })).toThrow();
    expect(() => kek2025.open(sealed, { ...CONTEXT, purpose: 'oauth:google:refresh-token' })).toThrow();
  });

  it('refuses a tampered ciphertext and a secret relabelled to another KEK', () => {
    const both = box(`${KEK_2025},${KEK_2026}`, 'kek-2025');
    const sealed = both.seal(new Secret(VALUE), CONTEXT);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    expect(() => both.open({ ...sealed, ciphertext: bytes.toString('base64') }, CONTEXT)).toThrow();
    expect(() => both.open({ ...sealed, kekId: 'kek-2026' }, CONTEXT)).toThrow();
  });

  it('rotates: after rewrap under the new KEK the secret opens without the old one, its ciphertext unchanged', () => {
    const old = kek2025.seal(new Secret(VALUE), CONTEXT);
    const rotating = box(`${KEK_2025},${KEK_2026}`, 'kek-2026');
    expect(rotating.needsRewrap(old)).toBe(true);
    expect(rotating.open(old, CONTEXT).reveal()).toBe(VALUE);
    const rewrapped: SealedSecret = rotating.rewrap(old, CONTEXT);
    expect(rewrapped).toMatchObject({ kekId: 'kek-2026', ciphertext: old.ciphertext });
    expect(rotating.needsRewrap(rewrapped)).toBe(false);
    expect(rotating.rewrap(rewrapped, CONTEXT)).toBe(rewrapped);
    const retired = box(KEK_2026);
    expect(retired.open(rewrapped, CONTEXT).reveal()).toBe(VALUE);
    expect(() => retired.open(old, CONTEXT)).toThrow('key-encryption key kek-2025 is not configured');
  });

  it('needs a tenant and a purpose', () => {
    expect(() => kek2025.seal(new Secret(VALUE), { tenantId: '', purpose: 'x' })).toThrow('bound to a tenant and a purpose');
  });
});

describe('secretBoxFromSettings', () => {
  const previousState = process.env['PROJECTFLO_STATE'];
  let state: string;

  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'secret-keks-'));
    process.env['PROJECTFLO_STATE'] = state;
    mkdirSync(join(state, 'secrets'));
    writeFileSync(devSecretKeksFile(), `${generateKey('dev-kek')}\n`);
  });

  afterEach(() => {
    if (previousState === undefined) delete process.env['PROJECTFLO_STATE'];
    else process.env['PROJECTFLO_STATE'] = previousState;
    rmSync(state, { recursive: true, force: true });
  });

  it('seals with the configured KEK, else (development only) with the generated one', () => {
    expect(secretBoxFromSettings({ SECRETS_KEKS: KEK_2026 }, true).seal(new Secret(VALUE), CONTEXT).kekId).toBe('kek-2026');
    expect(secretBoxFromSettings({}, false).seal(new Secret(VALUE), CONTEXT).kekId).toBe('dev-kek');
  });

  it('refuses to start in production without configured KEKs', () => {
    expect(() => secretBoxFromSettings({}, true)).toThrow('SECRETS_KEKS is required (kid:base64key,... of the AES-256 key-encryption keys); production never uses the development key');
  });
});
