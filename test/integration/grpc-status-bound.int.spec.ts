import { randomUUID } from 'node:crypto';
import { type ServiceError, status } from '@grpc/grpc-js';
import { Controller, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT } from '@projectflo/contracts';
import { USER_DIRECTORY, type UserDirectory } from '@projectflo/platform/auth';
import { DomainError } from '@projectflo/platform/core';
import { bootstrapGrpcService, callUnary, createGrpcClient, decodeStatusDetails, type RunningService, STATUS_DETAILS_KEY } from '@projectflo/platform/grpc';
import { Caller, freePort, TestIssuer } from '@projectflo/platform/testing';

// A request with thousands of invalid list elements gets one field violation per element. Sent as
// they are, the status trailers passed 64 KiB, the caller's HTTP/2 stack failed to decode them
// (GOAWAY COMPRESSION_ERROR) and every call on that connection ended in DEADLINE_EXCEEDED or
// UNAVAILABLE — found by the fuzz campaign (AddLeadNote with 10,000 mentions). Here a real gRPC
// server built by bootstrapGrpcService answers such a request while a second call shares the
// connection: the first gets INVALID_ARGUMENT with bounded details, the second its own answer.

const MENTIONS = 10_000;

@Controller()
class StubCrmController {
  @GrpcMethod('CrmService', 'AddLeadNote')
  addLeadNote(request: { mentions: string[] }): never {
    throw DomainError.invalid(request.mentions.map((_, i) => ({ field: `mentions[${i}]`, description: 'must be a UUID' })));
  }

  @GrpcMethod('CrmService', 'GetOrganization')
  getOrganization(): object {
    return { organization: { organizationId: randomUUID(), name: 'Bounded Studio', timezone: 'UTC' } };
  }
}

/** Every caller of the stub is an active owner of its tenant (the gate asks; this test is about statuses). */
const everyoneOwns: UserDirectory = { member: async (tenantId, userId) => ({ tenantId, userId, role: 'owner', active: true }) };

@Module({ controllers: [StubCrmController], providers: [{ provide: USER_DIRECTORY, useValue: everyoneOwns }] })
class StubCrmModule {}

let server: RunningService<unknown>;
let client: ReturnType<typeof createGrpcClient>;
const headers = () => new Caller(randomUUID(), 'user-a').command();

beforeAll(async () => {
  server = await bootstrapGrpcService({
    ...grpcServerContract('crm'),
    service: 'crm-status-bound',
    appModule: StubCrmModule,
    env: { GRPC_PORT: String(await freePort()), LOG_LEVEL: 'silent', ...TestIssuer.shared().env },
  });
  client = createGrpcClient({ address: server.url, protoRoot: PROTO_ROOT, protoFile: GRPC_CONTRACTS.crm.protoFile, fullServiceName: GRPC_CONTRACTS.crm.fullServiceName });
});

afterAll(async () => {
  client?.close();
  await server?.app.close();
});

describe('a status with thousands of field violations', () => {
  it('reaches the caller bounded, and the connection keeps serving the calls beside it', async () => {
    const [rejected, beside] = await Promise.all([
      callUnary(client, 'AddLeadNote', { leadId: randomUUID(), body: 'hi', mentions: Array(MENTIONS).fill('not-a-uuid') }, headers(), 10_000).then(
        () => undefined,
        (error: ServiceError) => error,
      ),
      callUnary<{ organization: { name: string } }>(client, 'GetOrganization', {}, headers(), 10_000),
    ]);

    expect(rejected?.code).toBe(status.INVALID_ARGUMENT);
    expect(rejected?.details).toMatch(/^mentions\[0\]: must be a UUID; mentions\[1\]: .*… \(\d+ more characters\)$/);
    const details = decodeStatusDetails(rejected?.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
    expect(details.fieldViolations[0]).toEqual({ field: 'mentions[0]', description: 'must be a UUID' });
    expect(details.message).toContain(`(${MENTIONS - details.fieldViolations.length} more field violations not listed)`);
    expect(beside.organization.name).toBe('Bounded Studio');

    // And the same connection still answers afterwards.
    await expect(callUnary(client, 'GetOrganization', {}, headers(), 5_000)).resolves.toMatchObject({ organization: { name: 'Bounded Studio' } });
  });
});
