import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import type { AuthGate } from './auth-gate';
import { boundStatusInterceptor } from './bounded-status';
import { GrpcHealth } from './grpc-health';
import { fileDescriptorsOf } from './protobuf-wire';
import { decodeRequestsSafely } from './undecodable-request';

/** Largest message a server accepts (grpc-js answers RESOURCE_EXHAUSTED above it). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * How @grpc/proto-loader decodes, matching the ts-proto types in @projectflo/contracts
 * (buf.gen.yaml): camelCase fields, enums as their names, int64 as decimal strings, unset scalars
 * as their defaults (unset messages as null, unset `optional` fields as undefined), and set oneof
 * members only.
 */
export const GRPC_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

export interface GrpcMicroserviceOptionsInput {
  /** Proto package(s) to serve, e.g. "projectflo.crm.v1". */
  readonly package: string | readonly string[];
  /** .proto file(s): absolute, or relative to protoRoot (as GRPC_CONTRACTS gives them). */
  readonly protoPath: string | readonly string[];
  /** The directory imports inside the .proto files are relative to (PROTO_ROOT of @projectflo/contracts). */
  readonly protoRoot: string;
  /** host:port to bind; port 0 picks a free port. */
  readonly url: string;
  /** Authenticates and authorizes every call but health and reflection (auth-gate.ts). */
  readonly gate: AuthGate;
  /** Health of this server; created when not given (pass one to mark it NOT_SERVING on shutdown). */
  readonly health?: GrpcHealth;
  readonly maxMessageBytes?: number;
  /**
   * A FileDescriptorSet of the protos, health.proto and google/rpc error details (`buf build`;
   * DESCRIPTOR_SET_PATH of @projectflo/contracts) to serve over reflection. Without it reflection
   * serves proto-loader's reconstructed descriptors, which list services but lack imports, so
   * grpcurl cannot describe or call methods that use google.protobuf types (grpc/grpc-node#2958).
   */
  readonly descriptorSetPath?: string;
}

const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** What reflection serves: the real descriptors when available, and the health service's. */
function reflectionDefinition(served: PackageDefinition, descriptorSetPath: string | undefined): PackageDefinition {
  if (descriptorSetPath === undefined) return { ...served, ...loadSync(healthProtoPath, { keepCase: true }) };
  const files = fileDescriptorsOf(readFileSync(descriptorSetPath));
  // The reflection service reads only `fileDescriptorProtos` of each entry.
  const descriptors = { format: 'FileDescriptorSet', fileDescriptorProtos: files } as unknown as PackageDefinition[string];
  return { 'projectflo.descriptors': descriptors };
}

/** Fully qualified names of the services in a loaded package definition. */
export function serviceNamesOf(definition: PackageDefinition): string[] {
  return Object.entries(definition)
    .filter(([, value]) => !('format' in value))
    .map(([name]) => name);
}

/**
 * Takes the services without methods out of Nest's hands: grpc-js refuses to add an empty service
 * ("Cannot add an empty service to a server"), and Nest adds every service of the packages it
 * serves. A contract with no RPCs yet (a service before its first issue) is served by health and
 * reflection alone; its entry becomes a type-like placeholder, which grpc-js and Nest skip, so the
 * package path Nest looks up still exists.
 */
function setAsideServicesWithoutMethods(definition: PackageDefinition, services: readonly string[]): void {
  for (const name of services) {
    if (Object.keys(definition[name] ?? {}).length > 0) continue;
    definition[name] = { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos: [] } as unknown as PackageDefinition[string];
  }
}

/**
 * NestJS gRPC microservice options with the platform's loader options, message size limit,
 * statuses bounded to what every client's trailers accept (bounded-status.ts), every call but health
 * and reflection authenticated and authorized by the gate (auth-gate.ts), graceful shutdown,
 * the standard health service and server reflection (so that `grpcurl -plaintext 127.0.0.1:50051
 * list` works).
 */
export function createGrpcMicroserviceOptions(input: GrpcMicroserviceOptionsInput): GrpcOptions {
  const protoRoot = input.protoRoot;
  const files = (Array.isArray(input.protoPath) ? input.protoPath : [input.protoPath]) as readonly string[];
  // Relative names make descriptors, imports and reflection agree ("crm/v1/crm.proto").
  const protoPath = files.map((file) => (isAbsolute(file) ? relative(protoRoot, file) : file));
  const health = input.health ?? new GrpcHealth();
  const maxMessageBytes = input.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  return {
    transport: Transport.GRPC,
    options: {
      url: input.url,
      package: Array.isArray(input.package) ? [...(input.package as readonly string[])] : (input.package as string),
      protoPath,
      loader: { ...GRPC_LOADER_OPTIONS, includeDirs: [protoRoot] },
      maxReceiveMessageLength: maxMessageBytes,
      maxSendMessageLength: maxMessageBytes,
      // grpc-js server options: an oversized status would otherwise kill the caller's whole
      // connection; no handler runs for a call the gate refuses.
      channelOptions: { interceptors: [boundStatusInterceptor, input.gate.interceptor] },
      gracefulShutdown: true,
      onLoadPackageDefinition: (definition: PackageDefinition, server: Server) => {
        // Before Nest builds its services from the definition: undecodable bodies → INVALID_ARGUMENT.
        decodeRequestsSafely(definition);
        health.addToServer(server);
        const services = serviceNamesOf(definition);
        // Reflection lists only what this server serves, plus health so `grpcurl ... Health/Check` works.
        new ReflectionService(reflectionDefinition(definition, input.descriptorSetPath), {
          services: [...services, HEALTH_SERVICE],
        }).addToServer(server);
        // Nest registers the package's handlers right after this, with no I/O in between, so no
        // health probe can observe SERVING before the service is there.
        health.serving(services);
        setAsideServicesWithoutMethods(definition, services);
      },
    },
  };
}
