import { randomBytes } from 'node:crypto';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { type crmV1, GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, decodeStatusDetails, type RunningService, STATUS_DETAILS_KEY } from '@projectflo/platform/grpc';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import { databaseUrlFromEnv, developmentServiceDatabaseUrl } from '@projectflo/platform/persistence';
import type { Role } from '@projectflo/platform/auth';
import { Caller, eventually, freePort, kafkaEnv, TestIssuer, TestTopics } from '@projectflo/platform/testing';
import { CrmAppModule } from '../app.module';

/*
 * Boots the real crm service in-process against the shared Postgres/Kafka/Temporal, isolated by
 * its own DB_SCHEMA (event store, read model, inbox, relay checkpoint, consumer group), task queue
 * and Kafka topics (KAFKA_TOPIC_PREFIX). `kafka` speaks the logical topic names (`crm.lead.v1`).
 */

/** The schema owner's URL: the service migrates with it, and tests inspect and drop their schema with it. */
export const DATABASE_URL = databaseUrlFromEnv();

export type GrpcClient = ReturnType<typeof createGrpcClient>;

export interface CrmTestApp {
  readonly running: RunningService<unknown>;
  readonly client: GrpcClient;
  readonly schema: string;
  readonly pool: Pool;
  readonly kafka: Kafka;
  close(): Promise<void>;
}

export interface CrmTestAppOptions {
  /** The database server the service's own role connects to (default DATABASE_URL's), e.g. through a TcpProxy. */
  readonly databaseUrl?: string;
  /** More of the service's environment (e.g. CONSISTENCY_WAIT_MS). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startCrmTestApp(options: CrmTestAppOptions = {}): Promise<CrmTestApp> {
  const schema = `crm_it_${randomBytes(5).toString('hex')}`;
  const topics = new TestTopics(`${schema}.`);
  const port = await freePort();
  const pool = new Pool({ connectionString: DATABASE_URL, max: 3 });
  const running = await bootstrapGrpcService({
    ...grpcServerContract('crm'),
    appModule: CrmAppModule,
    env: {
      GRPC_PORT: String(port),
      LOG_LEVEL: process.env['CRM_TEST_LOG_LEVEL'] ?? 'silent',
      DB_SCHEMA: schema,
      TEMPORAL_TASK_QUEUE: `crm-it-${schema}`,
      MIGRATION_DATABASE_URL: DATABASE_URL,
      DATABASE_URL: developmentServiceDatabaseUrl('crm', options.databaseUrl ?? DATABASE_URL),
      ...kafkaEnv(),
      KAFKA_TOPIC_PREFIX: topics.prefix,
      ...TestIssuer.shared().env,
      ...(process.env['TEMPORAL_ADDRESS'] ? { TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] } : {}),
      ...(process.env['TEMPORAL_NAMESPACE'] ? { TEMPORAL_NAMESPACE: process.env['TEMPORAL_NAMESPACE'] } : {}),
      ...options.env,
    },
  });
  const contract = GRPC_CONTRACTS.crm;
  const client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
  const kafka = topics.client(`crm-it-${schema}`);
  return {
    running,
    client,
    schema,
    pool,
    kafka,
    async close() {
      client.close();
      await running.app.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
      await topics.delete([`${schema}.read-model`]);
    },
  };
}

/** A user of one tenant with a test token (see TestIssuer). */
export { Caller };

/**
 * Registers `owner`'s tenant as an organization: the registering user is its first owner, so
 * `owner` may call crm from then on. Every other caller of the tenant comes from addUser.
 */
export function registerOrganization(
  app: CrmTestApp,
  owner: Caller,
  request: Partial<crmV1.RegisterOrganizationRequest> = {},
): Promise<crmV1.RegisterOrganizationResponse> {
  const organization = { name: 'Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: `owner-${owner.actorId}@studio.example` };
  return call(app.client, 'RegisterOrganization', { ...organization, ...request }, owner.command());
}

/** A new active user of `owner`'s organization with `role`, as a caller whose token names that role. */
export async function addUser(app: CrmTestApp, owner: Caller, role: Role = 'member'): Promise<Caller> {
  const tag = randomBytes(4).toString('hex');
  const { user } = await call<crmV1.AddUserResponse>(
    app.client,
    'AddUser',
    { name: `User ${tag}`, email: `${role}-${tag}@studio.example`, role: `USER_ROLE_${role.toUpperCase()}` },
    owner.command(),
  );
  return new Caller(owner.tenantId, user!.userId, [role]);
}

export function call<Response>(client: GrpcClient, method: string, request: object, headers: Record<string, string>): Promise<Response> {
  return callUnary<Response>(client, method, request, headers);
}

export async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

export function statusDetails(error: ServiceError): ReturnType<typeof decodeStatusDetails> | undefined {
  const [bin] = (error.metadata ?? new Metadata()).get(STATUS_DETAILS_KEY);
  return Buffer.isBuffer(bin) ? decodeStatusDetails(bin) : undefined;
}

/** The fields named by the google.rpc.BadRequest of an INVALID_ARGUMENT. */
export function fieldViolations(error: ServiceError): string[] {
  return statusDetails(error)?.fieldViolations.map((v) => v.field) ?? [];
}

/** How many events the tenant has in the service's event store (all streams, any type). */
export async function tenantEventCount(app: CrmTestApp, tenantId: string): Promise<number> {
  const { rows } = await app.pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "${app.schema}".events WHERE metadata->>'tenantId' = $1`,
    [tenantId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Events of one stream in the service's event store (the isolated schema). */
export async function streamEvents(app: CrmTestApp, stream: string): Promise<{ type: string; data: unknown; tenantId: string }[]> {
  const { rows } = await app.pool.query<{ type: string; data: unknown; metadata: { tenantId: string } }>(
    `SELECT type, data, metadata FROM "${app.schema}".events WHERE stream_name = $1 ORDER BY stream_position`,
    [stream],
  );
  return rows.map((r) => ({ type: r.type, data: r.data, tenantId: r.metadata.tenantId }));
}

/** Every message on a topic whose key is `key`, reading from the beginning with a throwaway group. */
export async function messagesWithKey(kafka: Kafka, topic: string, key: string, atLeast: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const groupId = `crm-it-reader-${randomBytes(5).toString('hex')}`;
  const consumer = kafka.consumer({ groupId });
  const found: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString('utf8') === key) found.push(message);
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (found.length < atLeast) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${atLeast} messages with key ${key} on ${topic}; got ${found.length}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return found;
}

export { eventually };
