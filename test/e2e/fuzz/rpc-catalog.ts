import { isAbsolute, join } from 'node:path';
import { GRPC_CONTRACTS, PROTO_ROOT, SERVICE_NAMES, type ServiceName } from '@projectflo/contracts';
import { Root, type Type } from 'protobufjs';

/** One RPC of one service, with its message types as the .proto files describe them. */
export interface Rpc {
  readonly service: ServiceName;
  /** The RPC name, e.g. "RescheduleTask". */
  readonly method: string;
  /** The HTTP/2 path grpc-js calls, e.g. "/projectflo.tasks.v1.TaskEngineService/RescheduleTask". */
  readonly path: string;
  readonly requestType: Type;
  readonly responseType: Type;
  /** Reads are named Get… or List…; everything else changes state and carries an x-request-id. */
  readonly command: boolean;
}

/**
 * Every RPC of every service, read from proto/ with protobufjs reflection (the same files the
 * servers load), so a new RPC or field is fuzzed without touching the fuzzer.
 */
export function loadRpcCatalog(): readonly Rpc[] {
  const root = new Root();
  // Imports are relative to PROTO_ROOT; google/protobuf/* are protobufjs's built-in common types.
  root.resolvePath = (_origin, target) => (isAbsolute(target) || target.startsWith('google/protobuf/') ? target : join(PROTO_ROOT, target));
  root.loadSync(SERVICE_NAMES.map((name) => GRPC_CONTRACTS[name].protoPath), { keepCase: false });
  root.resolveAll();
  return SERVICE_NAMES.flatMap((service) => {
    const contract = GRPC_CONTRACTS[service];
    return root.lookupService(contract.fullServiceName).methodsArray.map((method) => ({
      service,
      method: method.name,
      path: `/${contract.fullServiceName}/${method.name}`,
      requestType: method.resolvedRequestType!,
      responseType: method.resolvedResponseType!,
      command: !/^(Get|List)[A-Z]/.test(method.name),
    }));
  });
}
