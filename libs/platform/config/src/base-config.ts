import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER } from '@projectflo/platform/auth';
import { PG_IDENTIFIER } from '@projectflo/platform/core';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(1).max(65535);

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'expected a postgres:// URL');

/** A positive number of milliseconds, or unset (an empty string counts as unset). */
const optionalMs = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional());

/** A comma-separated list, e.g. "127.0.0.1:9092,127.0.0.1:9093". */
const list = z
  .string()
  .transform((s) => s.split(',').map((part) => part.trim()).filter((part) => part.length > 0))
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1));

/**
 * What every service reads. Defaults are the local infrastructure of scripts/infra.sh (see
 * scripts/env.sh), so `npm run` works on a developer machine with nothing set; production sets
 * every variable explicitly.
 */
export const baseConfigSchema = z.object({
  DATABASE_URL: postgresUrl
    .optional()
    .describe(
      "postgres URL of the service's own login role (no superuser, not the owner; row-level security binds it); unset in development: pf_<service> with its development password on MIGRATION_DATABASE_URL's server",
    ),
  MIGRATION_DATABASE_URL: postgresUrl
    .optional()
    .describe(
      "postgres URL of the schema owner: the service's start runs the event store's DDL, the migrations and their grants with it, nothing else; unset: the development owner, or in production no migration at start (scripts/migrate.ts runs them as a job beforehand)",
    ),
  PROJECTFLO_ENV: z
    .enum(['development', 'production'])
    .default('development')
    .describe('production (also when NODE_ENV=production) refuses the development credentials'),
  NODE_ENV: z.string().optional().describe('production: as PROJECTFLO_ENV=production'),
  KAFKA_BROKERS: list.default('127.0.0.1:9092').describe('comma-separated Kafka bootstrap brokers, host:port'),
  KAFKA_SASL_USERNAME: z.string().min(1).optional().describe("the service's Kafka SASL/SCRAM-SHA-512 user (scripts/infra.sh creates one per service)"),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional().describe('the password of KAFKA_SASL_USERNAME ($PROJECTFLO_STATE/secrets/kafka-<user>.password on a developer machine)'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'expected host:port')
    .default('127.0.0.1:7233')
    .describe('Temporal frontend address, host:port'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('projectflo').describe('Temporal namespace'),
  TEMPORAL_PAYLOAD_KEYS: z
    .string()
    .optional()
    .describe(
      'kid:base64key,... AES-256 keys of the Temporal payload codec (every listed key decrypts); the key scripts/infra.sh generated when unset on a developer machine, refused start otherwise',
    ),
  TEMPORAL_PAYLOAD_KEY_ID: z.string().optional().describe('the kid of TEMPORAL_PAYLOAD_KEYS new payloads are encrypted with (may be omitted with one key)'),
  SECRETS_KEKS: z
    .string()
    .optional()
    .describe(
      'kid:base64key,... AES-256 key-encryption keys of stored secrets (envelope encryption; every listed key unwraps); the key scripts/infra.sh generated when unset in development, refused start in production',
    ),
  SECRETS_KEK_ID: z.string().optional().describe('the kid of SECRETS_KEKS that wraps the data keys of secrets sealed now (may be omitted with one key)'),
  GRPC_HOST: z.string().min(1).default('127.0.0.1').describe('address the gRPC server binds to'),
  GRPC_PORT: port.optional().describe("the service's gRPC port; deploy/ports.json when unset"),
  EVENTSTORE_URL: z
    .preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .refine((u) => /^(esdb|esdb\+discover):\/\//.test(u), 'expected an esdb:// connection string')
        .optional(),
    )
    .describe('EventStoreDB connection string; the PostgreSQL event store is used when unset or empty'),
  DB_SCHEMA: z
    .string()
    .regex(PG_IDENTIFIER, 'expected a lower-case Postgres identifier')
    .optional()
    .describe("overrides the service's own Postgres schema (isolated test runs)"),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,100}$/, "expected letters, digits, '.', '_' or '-'")
    .optional()
    .describe("prefixes every Kafka topic the service uses (isolated test runs); none when unset"),
  TEMPORAL_TASK_QUEUE: z.string().min(1).optional().describe("overrides the service's Temporal task queue (isolated test runs)"),
  PG_STATEMENT_TIMEOUT_MS: optionalMs.describe('statement_timeout of every Postgres session, ms (DEFAULT_POSTGRES_TIMEOUTS when unset)'),
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: optionalMs.describe(
    'idle_in_transaction_session_timeout of every Postgres session, ms (DEFAULT_POSTGRES_TIMEOUTS when unset)',
  ),
  PG_LOCK_TIMEOUT_MS: optionalMs.describe('lock_timeout of every Postgres session, ms (DEFAULT_POSTGRES_TIMEOUTS when unset)'),
  CONSISTENCY_WAIT_MS: optionalMs.describe(
    'how long a call that sends an x-consistency-token may wait for the read model to reach it before UNAVAILABLE, ms (5000 when unset; the caller\'s deadline may end it sooner: DEADLINE_EXCEEDED)',
  ),
  AUTH_JWKS_URL: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().url().optional())
    .describe("the identity provider's JWKS URL (public keys that sign access tokens; fetched and cached, re-fetched for an unknown key id); wins over AUTH_JWKS_FILE"),
  AUTH_JWKS_FILE: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().optional())
    .describe('a JWKS file of the public keys that sign access tokens, re-read when it changes; default: the development keys of scripts/auth.ts (.infra/auth/jwks.json)'),
  AUTH_ISSUER: z.string().min(1).default(DEV_TOKEN_ISSUER).describe('the `iss` every access token must carry'),
  AUTH_AUDIENCE: z.string().min(1).default(DEV_TOKEN_AUDIENCE).describe('the `aud` every access token must carry'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe(`one of ${LOG_LEVELS.join(', ')}`),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;
