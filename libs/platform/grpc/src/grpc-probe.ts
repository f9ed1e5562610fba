import { dirname, join } from 'node:path';
import { credentials, type Client, loadPackageDefinition, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath, type ServingStatus } from 'grpc-health-check';
import { GRPC_LOADER_OPTIONS } from './grpc-options';

/**
 * Clients for probing a running service the way operators do with grpcurl: health, reflection,
 * and plain unary calls with metadata. Used by smoke tests, e2e tests and readiness scripts.
 */

type Unary = (request: unknown, metadata: Metadata, options: { deadline: Date }, callback: (error: ServiceError | null, response: unknown) => void) => unknown;
type AnyClient = Client & Record<string, unknown>;
type ClientConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => AnyClient;

function constructorAt(root: unknown, fullName: string): ClientConstructor {
  let node: unknown = root;
  for (const part of fullName.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function') throw new Error(`service ${fullName} not found in the loaded protos`);
  return node as ClientConstructor;
}

const deadline = (ms: number) => new Date(Date.now() + ms);

export interface GrpcClientTarget {
  /** host:port */
  readonly address: string;
  readonly protoRoot: string;
  /** Relative to protoRoot, e.g. "crm/v1/crm.proto". */
  readonly protoFile: string;
  /** e.g. "projectflo.crm.v1.CrmService" */
  readonly fullServiceName: string;
}

/** An insecure client of one service, loaded with the platform's loader options. */
export function createGrpcClient(target: GrpcClientTarget): AnyClient {
  const definition = loadSync(target.protoFile, { ...GRPC_LOADER_OPTIONS, includeDirs: [target.protoRoot] });
  const Service = constructorAt(loadPackageDefinition(definition), target.fullServiceName);
  return new Service(target.address, credentials.createInsecure());
}

/** Calls a unary method by its RPC name ("GetLead") with metadata headers; rejects with the ServiceError. */
export async function callUnary<Response>(
  client: AnyClient,
  method: string,
  request: unknown,
  headers: Readonly<Record<string, string>> = {},
  timeoutMs = 5_000,
): Promise<Response> {
  return (await callUnaryWithHeaders<Response>(client, method, request, headers, timeoutMs)).response;
}

/** A unary reply with the server's response headers (e.g. the command's x-consistency-token). */
export interface UnaryReply<Response> {
  readonly response: Response;
  readonly headers: Metadata;
}

/** callUnary, keeping the response headers the server sent. */
export function callUnaryWithHeaders<Response>(
  client: AnyClient,
  method: string,
  request: unknown,
  headers: Readonly<Record<string, string>> = {},
  timeoutMs = 5_000,
): Promise<UnaryReply<Response>> {
  const name = method.charAt(0).toLowerCase() + method.slice(1);
  const fn = client[method] ?? client[name];
  if (typeof fn !== 'function') return Promise.reject(new Error(`no method ${method}`));
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return new Promise((resolve, reject) => {
    let received = new Metadata();
    const call = (fn as Unary).call(client, request, metadata, { deadline: deadline(timeoutMs) }, (error, response) =>
      error ? reject(error) : resolve({ response: response as Response, headers: received }),
    ) as { on(event: 'metadata', listener: (headers: Metadata) => void): unknown };
    call.on('metadata', (sent: Metadata) => {
      received = sent;
    });
  });
}

/** grpc.health.v1.Health/Check of one service ("" for the whole server). */
export async function checkHealth(address: string, service = '', timeoutMs = 5_000): Promise<ServingStatus | 'SERVICE_UNKNOWN'> {
  const definition = loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
  const Health = constructorAt(loadPackageDefinition(definition), 'grpc.health.v1.Health');
  const client = new Health(address, credentials.createInsecure());
  try {
    const response = await callUnary<{ status: ServingStatus | 'SERVICE_UNKNOWN' }>(client, 'Check', { service }, {}, timeoutMs);
    return response.status;
  } finally {
    client.close();
  }
}

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** One grpc.reflection.v1 request/response exchange. */
async function reflect(address: string, request: Record<string, string>, timeoutMs: number): Promise<ReflectionResponse> {
  const protoRoot = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const definition = loadSync('grpc/reflection/v1/reflection.proto', { ...GRPC_LOADER_OPTIONS, includeDirs: [protoRoot] });
  const Reflection = constructorAt(loadPackageDefinition(definition), 'grpc.reflection.v1.ServerReflection');
  const client = new Reflection(address, credentials.createInsecure());
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      const info = client['serverReflectionInfo'] as (metadata: Metadata, options: { deadline: Date }) => NodeJS.EventEmitter & { write(m: unknown): void; end(): void };
      const stream = info.call(client, new Metadata(), { deadline: deadline(timeoutMs) });
      stream.on('data', (response: ReflectionResponse) => {
        resolve(response);
        stream.end();
      });
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    client.close();
  }
}

/** The fully qualified services a server lists over reflection (what `grpcurl list` prints). */
export async function listServicesByReflection(address: string, timeoutMs = 5_000): Promise<string[]> {
  const response = await reflect(address, { listServices: '*' }, timeoutMs);
  return (response.listServicesResponse?.service ?? []).map((s) => s.name).sort();
}

/** How many file descriptors reflection returns for a symbol (what `grpcurl describe` needs); 0 when unknown. */
export async function describeByReflection(address: string, symbol: string, timeoutMs = 5_000): Promise<number> {
  const response = await reflect(address, { fileContainingSymbol: symbol }, timeoutMs);
  return response.fileDescriptorResponse?.fileDescriptorProto.length ?? 0;
}
