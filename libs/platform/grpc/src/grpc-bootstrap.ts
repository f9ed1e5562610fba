import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { tokenVerifierFromSettings } from '@projectflo/platform/auth';
import { type Clock, systemClock } from '@projectflo/platform/core';
import { baseConfigSchema, type BaseConfig, ConfigError, type Env, isProduction, loadConfig } from '@projectflo/platform/config';
import { JsonLogger } from '@projectflo/platform/logging';
import type { z } from 'zod';
import { AuthGate } from './auth-gate';
import { GrpcHealth } from './grpc-health';
import { createGrpcMicroserviceOptions } from './grpc-options';
import { type ServiceRuntime, serviceRootModule } from './service-runtime.module';

type ServiceConfigSchema = z.ZodObject<typeof baseConfigSchema.shape & z.ZodRawShape>;

/** What the server serves: GRPC_CONTRACTS[service] of @projectflo/contracts fits. */
export interface GrpcServiceContract {
  readonly package: string;
  readonly fullServiceName: string;
  /** Relative to protoRoot. */
  readonly protoFile: string;
}

export interface BootstrapOptions<Schema extends ServiceConfigSchema> {
  /** e.g. "crm": stamped on every log line. */
  readonly service: string;
  readonly contract: GrpcServiceContract;
  /** PROTO_ROOT of @projectflo/contracts. */
  readonly protoRoot: string;
  /** The port when GRPC_PORT is unset: GRPC_PORTS[service] (deploy/ports.json). */
  readonly defaultPort: number;
  /** `buf build` output served over reflection (DESCRIPTOR_SET_PATH of @projectflo/contracts). */
  readonly descriptorSetPath?: string;
  /** The app's module: its controllers, handlers, projections, workflows. */
  readonly appModule: Type | DynamicModule;
  /** baseConfigSchema, or an extension of it with the service's own variables. */
  readonly configSchema?: Schema;
  readonly env?: Env;
  readonly clock?: Clock;
  /** Replaces the JSON logger on stdout (tests). */
  readonly logger?: JsonLogger;
}

export interface RunningService<Config> {
  readonly app: INestMicroservice;
  /** host:port the server is bound to. */
  readonly url: string;
  readonly runtime: ServiceRuntime<Config>;
}

/**
 * Starts one service process: validates its configuration (failing with every bad variable
 * named), creates the JSON logger, builds the Nest microservice on the service's gRPC contract
 * with health and reflection and every other call behind the auth gate (auth-gate.ts), and
 * closes gracefully on SIGTERM/SIGINT (NOT_SERVING first, then
 * in-flight calls drain, then modules' shutdown hooks run).
 */
export async function bootstrapGrpcService<Schema extends ServiceConfigSchema = typeof baseConfigSchema>(
  options: BootstrapOptions<Schema>,
): Promise<RunningService<z.infer<Schema>>> {
  const schema = (options.configSchema ?? baseConfigSchema) as Schema;
  const config: z.infer<Schema> = loadConfig(schema, options.env ?? process.env);
  // Every accepted schema extends baseConfigSchema, so the base variables are there.
  const base = config as BaseConfig;
  const logger = options.logger ?? JsonLogger.create({ service: options.service, level: base.LOG_LEVEL });
  const contract = options.contract;
  const url = `${base.GRPC_HOST}:${base.GRPC_PORT ?? options.defaultPort}`;
  const clock = options.clock ?? systemClock;
  const runtime: ServiceRuntime<z.infer<Schema>> = {
    service: options.service,
    grpcService: contract.fullServiceName,
    config,
    logger,
    clock,
    health: new GrpcHealth(),
    gate: new AuthGate(tokenVerifierFromSettings(base, clock, { production: isProduction(base) }), logger),
  };
  const app = await NestFactory.createMicroservice(serviceRootModule(runtime, options.appModule), {
    ...createGrpcMicroserviceOptions({
      package: contract.package,
      protoPath: contract.protoFile,
      protoRoot: options.protoRoot,
      url,
      gate: runtime.gate,
      health: runtime.health,
      ...(options.descriptorSetPath !== undefined ? { descriptorSetPath: options.descriptorSetPath } : {}),
    }),
    logger,
  });
  // Exit 0 after the shutdown hooks drained everything (Nest would otherwise re-raise the signal: 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen();
  logger.info('grpc service listening', { url, grpcService: contract.fullServiceName });
  return { app, url, runtime };
}

/** For main.ts: report a failed start-up readably (one line per bad variable) and exit 1. */
export function exitOnStartupFailure(service: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: Invalid configuration:\n${error.problems.map((p) => `  - ${p}\n`).join('')}`);
    } else {
      JsonLogger.create({ service }).error('start-up failed', { err: error });
    }
    process.exit(1);
  };
}
