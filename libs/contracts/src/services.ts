import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Root of the .proto sources; every import inside them ("common/v1/common.proto") is relative to it. */
export const PROTO_ROOT = join(__dirname, '..', '..', '..', 'proto');

/**
 * The contracts as a FileDescriptorSet (`buf build`, with comments): what reflection serves so
 * grpcurl can describe and call every method. Regenerated with the code.
 */
export const DESCRIPTOR_SET_PATH = join(__dirname, 'generated', 'descriptor-set.binpb');

/** Where deploy/ports.json lives (the one list of local ports); read at start-up. */
export const PORTS_FILE = join(__dirname, '..', '..', '..', 'deploy', 'ports.json');

/** The five services, by the names used for apps, ports, task queues and logs. */
export type ServiceName = 'crm' | 'task-engine' | 'build-ledger' | 'scheduling' | 'notifications';

export const SERVICE_NAMES: readonly ServiceName[] = ['crm', 'task-engine', 'build-ledger', 'scheduling', 'notifications'];

export interface GrpcContract {
  /** Proto package, e.g. "projectflo.crm.v1". */
  readonly package: string;
  /** The service inside the package, e.g. "CrmService". */
  readonly service: string;
  /** Fully qualified service name, as health checks and reflection report it. */
  readonly fullServiceName: string;
  /** Path of the .proto file relative to PROTO_ROOT (what the loader and reflection see). */
  readonly protoFile: string;
  /** Absolute path of the .proto file. */
  readonly protoPath: string;
}

function contract(pkg: string, service: string, protoFile: string): GrpcContract {
  return { package: pkg, service, fullServiceName: `${pkg}.${service}`, protoFile, protoPath: join(PROTO_ROOT, protoFile) };
}

/** The gRPC contract each service serves. */
export const GRPC_CONTRACTS: Readonly<Record<ServiceName, GrpcContract>> = {
  crm: contract('projectflo.crm.v1', 'CrmService', 'crm/v1/crm.proto'),
  'task-engine': contract('projectflo.tasks.v1', 'TaskEngineService', 'tasks/v1/tasks.proto'),
  'build-ledger': contract('projectflo.ledger.v1', 'BuildLedgerService', 'ledger/v1/ledger.proto'),
  scheduling: contract('projectflo.scheduling.v1', 'SchedulingService', 'scheduling/v1/scheduling.proto'),
  notifications: contract('projectflo.notifications.v1', 'NotificationsService', 'notifications/v1/notifications.proto'),
};

export const COMMON_PROTO_PACKAGE = 'projectflo.common.v1';
export const COMMON_PROTO_FILE = 'common/v1/common.proto';

/** Defaults used when deploy/ports.json is absent; they equal its contents. */
const DEFAULT_GRPC_PORTS: Readonly<Record<ServiceName, number>> = {
  crm: 50051,
  'task-engine': 50052,
  'build-ledger': 50053,
  scheduling: 50054,
  notifications: 50055,
};

/** The local gRPC port of each service: deploy/ports.json `services`, else the defaults above. */
export function loadGrpcPorts(file: string = PORTS_FILE): Readonly<Record<ServiceName, number>> {
  if (!existsSync(file)) return DEFAULT_GRPC_PORTS;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const services = typeof parsed === 'object' && parsed !== null ? (parsed as { services?: unknown }).services : undefined;
  const ports = { ...DEFAULT_GRPC_PORTS };
  if (typeof services === 'object' && services !== null) {
    for (const name of SERVICE_NAMES) {
      const port = (services as Record<string, unknown>)[name];
      if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) ports[name] = port;
    }
  }
  return ports;
}

export const GRPC_PORTS: Readonly<Record<ServiceName, number>> = loadGrpcPorts();

/** Everything a server needs to serve one service's contract (spread into bootstrapGrpcService). */
export function grpcServerContract(name: ServiceName): {
  readonly service: ServiceName;
  readonly contract: GrpcContract;
  readonly protoRoot: string;
  readonly defaultPort: number;
  readonly descriptorSetPath: string;
} {
  return { service: name, contract: GRPC_CONTRACTS[name], protoRoot: PROTO_ROOT, defaultPort: GRPC_PORTS[name], descriptorSetPath: DESCRIPTOR_SET_PATH };
}
