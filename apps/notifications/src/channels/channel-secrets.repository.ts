import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { isProduction } from '@projectflo/platform/config';
import { SERVICE_CONFIG } from '@projectflo/platform/grpc';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { type SealedSecret, Secret, SecretBox, secretBoxFromSettings, type SecretKeySettings } from '@projectflo/platform/secrets';
import { MIKRO_ORM } from '@projectflo/platform/service';
import type { ExternalChannel } from './channel-adapter';
import type { SecretRef } from './channel-settings.decider';

/** The SecretBox of the service (SECRETS_KEKS / SECRETS_KEK_ID; in development the key infra.sh generated). */
export const CHANNEL_SECRET_BOX = Symbol('CHANNEL_SECRET_BOX');
export const channelSecretBoxProvider = {
  provide: CHANNEL_SECRET_BOX,
  inject: [SERVICE_CONFIG],
  useFactory: (config: SecretKeySettings & Parameters<typeof isProduction>[0]) => secretBoxFromSettings(config, isProduction(config)),
};

/** What a channel's secret is bound to: decrypting it for another tenant or channel fails. */
const purposeOf = (channel: ExternalChannel) => `notification-channel:${channel}`;

/**
 * The tenants' channel secrets at rest (table channel_secrets, row-level security by tenant): each
 * sealed by SecretBox (its own data key, wrapped by the current key-encryption key, bound to the
 * tenant and the channel). A secret is stored before the event that references it is appended,
 * so an event never names a missing secret (a failed append leaves an unreferenced row).
 */
@Injectable()
export class ChannelSecretsRepository {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(CHANNEL_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Stores `secret` under `secretId` (a retried request stores nothing new) and returns its reference. */
  async store(tenantId: string, channel: ExternalChannel, secretId: string, secret: Secret, now: Date): Promise<SecretRef> {
    const sealed = this.box.seal(secret, { tenantId, purpose: purposeOf(channel) });
    const rows = await new OrmUnitOfWork(this.orm, { tenantId }).transactional((tx) =>
      tx.query<{ sealed: SealedSecret }>(
        `INSERT INTO channel_secrets (secret_id, tenant_id, channel, sealed, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (secret_id) DO UPDATE SET secret_id = EXCLUDED.secret_id RETURNING sealed`,
        [secretId, tenantId, channel, JSON.stringify(sealed), now],
      ),
    );
    return { secretId, kekId: rows[0]?.sealed.kekId ?? sealed.kekId };
  }

  /** The secret, opened; null when it is not (or no longer) there. */
  async open(tenantId: string, channel: ExternalChannel, ref: SecretRef): Promise<Secret | null> {
    const rows = await new OrmUnitOfWork(this.orm, { tenantId }).transactional((tx) =>
      tx.query<{ sealed: SealedSecret }>('SELECT sealed FROM channel_secrets WHERE secret_id = $1 AND channel = $2', [ref.secretId, channel]),
    );
    const sealed = rows[0]?.sealed;
    return sealed ? this.box.open(sealed, { tenantId, purpose: purposeOf(channel) }) : null;
  }
}
