/**
 * The codec endpoint of the Temporal Web UI and CLI: decrypts (and encrypts) Temporal payloads
 * for a caller whose bearer token is granted operations.decode-payloads (docs/SECURITY.md).
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register scripts/temporal-codec-server.ts
 *
 * scripts/platform.sh starts it on deploy/ports.json `temporalCodec`; scripts/infra.sh starts the
 * dev server with `--ui-codec-endpoint` pointing at it. Settings: TEMPORAL_NAMESPACE, the payload
 * keys (TEMPORAL_PAYLOAD_KEYS, TEMPORAL_PAYLOAD_KEY_ID), the token settings (AUTH_*),
 * TEMPORAL_CODEC_HOST/PORT and TEMPORAL_UI_ORIGINS (the browser origins allowed to call it).
 */
import { readFileSync } from 'node:fs';
import { PORTS_FILE } from '@projectflo/contracts';
import { tokenVerifierFromSettings } from '@projectflo/platform/auth';
import { baseConfigSchema, isProduction, loadConfig } from '@projectflo/platform/config';
import { systemClock } from '@projectflo/platform/core';
import { JsonLogger } from '@projectflo/platform/logging';
import { AesGcmPayloadCodec, createCodecServer, payloadKeyringFromEnv } from '@projectflo/platform/workflow';
import { z } from 'zod';

const ports = JSON.parse(readFileSync(PORTS_FILE, 'utf8')) as { temporalUi: number; temporalCodec: number };

const schema = baseConfigSchema
  .pick({
    TEMPORAL_NAMESPACE: true,
    TEMPORAL_PAYLOAD_KEYS: true,
    TEMPORAL_PAYLOAD_KEY_ID: true,
    PROJECTFLO_ENV: true,
    NODE_ENV: true,
    AUTH_JWKS_URL: true,
    AUTH_JWKS_FILE: true,
    AUTH_ISSUER: true,
    AUTH_AUDIENCE: true,
    LOG_LEVEL: true,
  })
  .extend({
    TEMPORAL_CODEC_HOST: z.string().min(1).default('127.0.0.1').describe('address the codec endpoint binds to'),
    TEMPORAL_CODEC_PORT: z.coerce.number().int().min(1).max(65535).default(ports.temporalCodec).describe('port of the codec endpoint (deploy/ports.json temporalCodec)'),
    TEMPORAL_UI_ORIGINS: z
      .string()
      .default(`http://127.0.0.1:${ports.temporalUi},http://localhost:${ports.temporalUi}`)
      .transform((s) => s.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0))
      .pipe(z.array(z.string().url()).min(1))
      .describe('comma-separated browser origins of the Temporal Web UI allowed to call the codec endpoint (CORS)'),
  });

function main(): void {
  const config = loadConfig(schema);
  const logger = JsonLogger.create({ service: 'temporal-codec', level: config.LOG_LEVEL });
  const server = createCodecServer({
    codec: new AesGcmPayloadCodec(payloadKeyringFromEnv(config)),
    verifier: tokenVerifierFromSettings(config, systemClock, { production: isProduction(config) }),
    namespace: config.TEMPORAL_NAMESPACE,
    allowedOrigins: config.TEMPORAL_UI_ORIGINS,
    logger,
  });
  server.listen(config.TEMPORAL_CODEC_PORT, config.TEMPORAL_CODEC_HOST, () =>
    logger.info('codec endpoint listening', { url: `http://${config.TEMPORAL_CODEC_HOST}:${config.TEMPORAL_CODEC_PORT}`, origins: config.TEMPORAL_UI_ORIGINS }),
  );
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
