import { type Env, loadConfig } from '@projectflo/platform/config';
import type { Secret } from '@projectflo/platform/secrets';
import { z } from 'zod';

/**
 * A tenant's channel settings as the adapters use them: secrets opened (still `Secret`, so they
 * never print) at the moment of sending, never cached in plaintext beyond one send and never in a
 * workflow payload. A channel the tenant has not configured is null (email then uses the
 * service's own SMTP defaults; Slack and SMS cannot send).
 */
export interface TenantChannelCredentials {
  readonly email: {
    readonly fromAddress: string;
    readonly username: string | null;
    readonly password: Secret | null;
  } | null;
  readonly slack: { readonly webhookUrl: Secret } | null;
  readonly sms: { readonly apiKey: Secret; readonly sender: string } | null;
}

/** Where the adapters get a tenant's credentials (ChannelSettingsRepository in the service, a fixed value in tests). */
export interface ChannelCredentialsSource {
  forTenant(tenantId: string): Promise<TenantChannelCredentials>;
}

/**
 * The service-wide endpoints of the channels (configuration, not tenant data): the SMTP relay
 * (Mailpit on 127.0.0.1 in development: SMTP_HOST, SMTP_PORT), the sender used when a tenant set
 * none (SMTP_DEFAULT_FROM), the SMS provider's API base URL (SMS_API_URL) and the timeout of
 * every provider call (CHANNEL_TIMEOUT_MS).
 */
export interface ChannelEndpoints {
  readonly smtp: { readonly host: string; readonly port: number; readonly secure: boolean };
  readonly defaultFromAddress: string;
  readonly smsApiUrl: string;
  readonly timeoutMs: number;
}

/**
 * The channels' configuration, validated with the platform's loadConfig (readable errors, empty
 * means unset). Development defaults: scripts/infra.sh's Mailpit (deploy/ports.json mailpitSmtp) and
 * a local SMS stand-in.
 */
export const channelConfigSchema = z.object({
  SMTP_HOST: z.string().default('127.0.0.1').describe('SMTP relay host (Mailpit in development)'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025).describe('SMTP relay port'),
  SMTP_SECURE: z.enum(['true', 'false']).default('false').describe('SMTP over TLS from the first byte (port 465)'),
  SMTP_DEFAULT_FROM: z.string().default('ProjectFlo <notifications@projectflo.local>').describe('sender of a tenant that set none'),
  SMS_API_URL: z.string().url().default('http://127.0.0.1:8026/v1').describe("the SMS provider's API base URL"),
  CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000).describe('timeout of one provider call'),
});

/** The endpoints from the environment (SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_DEFAULT_FROM, SMS_API_URL, CHANNEL_TIMEOUT_MS). */
export function channelEndpointsFromEnv(env: Env = process.env): ChannelEndpoints {
  const c = loadConfig(channelConfigSchema, env);
  return {
    smtp: { host: c.SMTP_HOST, port: c.SMTP_PORT, secure: c.SMTP_SECURE === 'true' },
    defaultFromAddress: c.SMTP_DEFAULT_FROM,
    smsApiUrl: c.SMS_API_URL,
    timeoutMs: c.CHANNEL_TIMEOUT_MS,
  };
}
