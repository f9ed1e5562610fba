import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { decryptAesGcm, encryptAesGcm } from './aes-gcm';
import { devSecretsDir, KEY_BYTES, type Keyring, keyOf, loadKeyring } from './keyring';
import { Secret } from './secret';

const WHAT = 'key-encryption key';

/**
 * What a secret is bound to: decrypting it for another tenant or another purpose fails, so a
 * sealed value copied to another row (or tenant) is useless there.
 */
export interface SecretContext {
  readonly tenantId: string;
  /** What the secret is for, e.g. `notification-channel:smtp-password` or `oauth:google:refresh-token`. */
  readonly purpose: string;
}

/**
 * A secret at rest (a JSON column): the value encrypted with its own random data key
 * (AES-256-GCM), and that data key encrypted ("wrapped") with the key-encryption key `kekId`.
 * Every binary field is base64 of `iv | ciphertext | tag`.
 */
export interface SealedSecret {
  readonly version: 1;
  readonly kekId: string;
  readonly wrappedKey: string;
  readonly ciphertext: string;
}

function additionalData(context: SecretContext, part: 'value' | 'data-key', kekId?: string): Buffer {
  if (context.tenantId.length === 0 || context.purpose.length === 0) throw new Error('a secret is bound to a tenant and a purpose');
  return Buffer.from(JSON.stringify(['projectflo-secret/v1', part, context.tenantId, context.purpose, kekId ?? null]), 'utf8');
}

const encrypt = (key: Buffer, plain: Buffer, aad: Buffer): string => encryptAesGcm(key, plain, aad).toString('base64');
const decrypt = (key: Buffer, sealed: string, aad: Buffer): Buffer => decryptAesGcm(key, Buffer.from(sealed, 'base64'), aad);

/**
 * Envelope encryption of secrets with key-encryption keys from configuration (a KMS-held key in
 * production is the same shape: wrap and unwrap the data key). Rotation: add the new KEK, make it
 * current, `rewrap` every sealed secret (only the 60-byte wrapped key changes), then retire the
 * old KEK once `needsRewrap` is false everywhere.
 */
export class SecretBox {
  constructor(private readonly keks: Keyring) {}

  seal(secret: Secret, context: SecretContext): SealedSecret {
    const kekId = this.keks.currentKeyId;
    const dataKey = randomBytes(KEY_BYTES);
    try {
      return {
        version: 1,
        kekId,
        wrappedKey: encrypt(keyOf(this.keks, kekId, WHAT), dataKey, additionalData(context, 'data-key', kekId)),
        ciphertext: encrypt(dataKey, Buffer.from(secret.reveal(), 'utf8'), additionalData(context, 'value')),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  open(sealed: SealedSecret, context: SecretContext): Secret {
    const dataKey = this.unwrap(sealed, context);
    try {
      return new Secret(decrypt(dataKey, sealed.ciphertext, additionalData(context, 'value')).toString('utf8'));
    } finally {
      dataKey.fill(0);
    }
  }

  /** The same secret with its data key wrapped by the current KEK (the value's ciphertext is kept). */
  rewrap(sealed: SealedSecret, context: SecretContext): SealedSecret {
    if (!this.needsRewrap(sealed)) return sealed;
    const kekId = this.keks.currentKeyId;
    const dataKey = this.unwrap(sealed, context);
    try {
      return { ...sealed, kekId, wrappedKey: encrypt(keyOf(this.keks, kekId, WHAT), dataKey, additionalData(context, 'data-key', kekId)) };
    } finally {
      dataKey.fill(0);
    }
  }

  needsRewrap(sealed: SealedSecret): boolean {
    return sealed.kekId !== this.keks.currentKeyId;
  }

  private unwrap(sealed: SealedSecret, context: SecretContext): Buffer {
    if (sealed.version !== 1) throw new Error(`unknown sealed secret version ${String(sealed.version)}`);
    return decrypt(keyOf(this.keks, sealed.kekId, WHAT), sealed.wrappedKey, additionalData(context, 'data-key', sealed.kekId));
  }
}

/** The settings of the key-encryption keys (environment variables, or a loaded service configuration). */
export interface SecretKeySettings {
  readonly [name: string]: unknown;
  readonly SECRETS_KEKS?: string | undefined;
  readonly SECRETS_KEK_ID?: string | undefined;
}

/** Where scripts/infra.sh writes the development key-encryption key. */
export function devSecretKeksFile(): string {
  return join(devSecretsDir(), 'secret-keks');
}

/**
 * The SecretBox of a service's configuration: SECRETS_KEKS and SECRETS_KEK_ID; in development with
 * neither set, the key scripts/infra.sh generated (production refuses to start without them).
 */
export function secretBoxFromSettings(settings: SecretKeySettings, production: boolean): SecretBox {
  return new SecretBox(
    loadKeyring({ what: WHAT, variable: 'SECRETS_KEKS', spec: settings.SECRETS_KEKS, currentKeyId: settings.SECRETS_KEK_ID, devKeyFile: devSecretKeksFile(), production }),
  );
}
