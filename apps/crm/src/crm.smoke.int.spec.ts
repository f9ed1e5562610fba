import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Controller, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { crmV1, GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT } from '@projectflo/contracts';
import { USER_DIRECTORY, type UserDirectory } from '@projectflo/platform/auth';
import { VersionConflictError } from '@projectflo/platform/core';
import {
  bootstrapGrpcService,
  callUnary,
  checkHealth,
  commandContext,
  createGrpcClient,
  decodeStatusDetails,
  describeByReflection,
  listServicesByReflection,
  type RunningService,
  STATUS_DETAILS_KEY,
} from '@projectflo/platform/grpc';
import { Caller, freePort, TestIssuer, failedCall } from '@projectflo/platform/testing';
import { registerOrganization, startCrmTestApp, type CrmTestApp } from './testing/crm-test-app';

// Boots the real crm microservice (the same bootstrap as main.ts, on its own DB_SCHEMA against the
// shared infrastructure) on a free loopback port and probes it the way grpcurl and clients would.
// The error-mapping suite below needs no infrastructure.

const contract = GRPC_CONTRACTS.crm;
const owner = new Caller('0c8f2f9e-5b1a-4e27-9a0c-2d6f4b8e1a37', randomUUID());
const caller = owner.query();

async function start(appModule: typeof FailingCrmModule): Promise<RunningService<unknown>> {
  const port = await freePort();
  return bootstrapGrpcService({ ...grpcServerContract('crm'), appModule, env: { GRPC_PORT: String(port), LOG_LEVEL: 'silent', ...TestIssuer.shared().env } });
}


function details(error: ServiceError) {
  const [bin] = (error.metadata ?? new Metadata()).get(STATUS_DETAILS_KEY);
  if (!Buffer.isBuffer(bin)) throw new Error('no grpc-status-details-bin trailer');
  return decodeStatusDetails(bin);
}

describe('crm service (smoke)', () => {
  let app: CrmTestApp;
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;

  beforeAll(async () => {
    app = await startCrmTestApp();
    running = app.running;
    client = app.client;
    // Every caller is an active user of the tenant: the one who registers it is its owner.
    await registerOrganization(app, owner);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reports SERVING for the server and for CrmService, and knows no other service', async () => {
    expect(await checkHealth(running.url)).toBe('SERVING');
    expect(await checkHealth(running.url, 'projectflo.crm.v1.CrmService')).toBe('SERVING');
    expect((await failedCall(checkHealth(running.url, 'projectflo.tasks.v1.TaskEngineService'))).code).toBe(status.NOT_FOUND);
  });

  it('lists and describes CrmService over reflection', async () => {
    const services = await listServicesByReflection(running.url);
    expect(services).toContain('projectflo.crm.v1.CrmService');
    expect(services).toContain('grpc.health.v1.Health');
    // crm.proto plus its imports (common.proto, timestamp.proto), so grpcurl can build requests.
    expect(await describeByReflection(running.url, 'projectflo.crm.v1.CrmService')).toBe(3);
    // What grpcurl needs to call Health/Check and to print error details.
    expect(await describeByReflection(running.url, 'grpc.health.v1.Health')).toBe(1);
    expect(await describeByReflection(running.url, 'google.rpc.BadRequest')).toBe(1);
  });

  it('serves ListLeadStatuses to an identified caller', async () => {
    const response = await callUnary<crmV1.ListLeadStatusesResponse>(client, 'ListLeadStatuses', { includeRetired: true }, caller);
    expect(response).toEqual({ leadStatuses: [] });
  });

  it('refuses a valid token of a user the tenant does not know as PERMISSION_DENIED', async () => {
    const stranger = new Caller(owner.tenantId, randomUUID()).query();
    const error = await failedCall(callUnary(client, 'ListLeadStatuses', { includeRetired: true }, stranger));
    expect(error.code).toBe(status.PERMISSION_DENIED);
    const response = await callUnary<crmV1.ListLeadStatusesResponse>(client, 'ListLeadStatuses', { includeRetired: true }, caller);
    expect(response).toEqual({ leadStatuses: [] });
  });

  it('rejects a call without a token as UNAUTHENTICATED, whatever identity headers it sends', async () => {
    const error = await failedCall(callUnary(client, 'ListLeadStatuses', {}, { 'x-tenant-id': '0c8f2f9e-5b1a-4e27-9a0c-2d6f4b8e1a37', 'x-actor-id': 'user-smoke' }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.details).toContain('authorization');
  });

  it('maps a validation DomainError to INVALID_ARGUMENT with a BadRequest naming the field', async () => {
    const error = await failedCall(callUnary(client, 'GetLead', { leadId: 'not-a-uuid' }, caller));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toBe('lead_id: must be a UUID');
    expect(details(error).fieldViolations).toEqual([{ field: 'lead_id', description: 'must be a UUID' }]);
  });

  it('maps a NotFound DomainError to NOT_FOUND', async () => {
    const error = await failedCall(callUnary(client, 'GetLead', { leadId: '1b4e28ba-2fa1-4d3b-9b7c-1f4b7a9c1e10' }, caller));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('serves every RPC of CrmService (none answers UNIMPLEMENTED)', async () => {
    const rpcs = [
      'RegisterOrganization', 'AddUser', 'ChangeUserRole', 'DeactivateUser', 'ReactivateUser', 'GetOrganization', 'DefineLeadStatus',
      'RenameLeadStatus', 'ReorderLeadStatuses',
      'RetireLeadStatus', 'ListLeadStatuses', 'CreateContact', 'GetContact', 'ArchiveContact', 'CaptureLead', 'ChangeLeadStatus',
      'AssignLead', 'AddLeadNote', 'LogCommunication', 'ArchiveLead', 'GetLead', 'ListLeads', 'GetPipelineSummary', 'GetLeadHistory',
    ];
    for (const rpc of rpcs) {
      const outcome = await callUnary(client, rpc, {}, { ...caller, 'x-request-id': `smoke-${rpc}` }).then(
        () => status.OK,
        (error: ServiceError) => error.code,
      );
      expect([rpc, outcome]).not.toEqual([rpc, status.UNIMPLEMENTED]);
      expect([rpc, outcome]).not.toEqual([rpc, status.INTERNAL]);
    }
  });

  it('rejects a message over the 4 MB limit without crashing', async () => {
    const error = await failedCall(callUnary(client, 'GetLead', { leadId: 'x'.repeat(5 * 1024 * 1024) }, caller));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await checkHealth(running.url)).toBe('SERVING');
  });
});

/** Handlers that fail on purpose, served on the crm contract like real ones. */
@Controller()
class FailingCrmController {
  @GrpcMethod(contract.service, 'ChangeLeadStatus')
  changeLeadStatus(request: crmV1.ChangeLeadStatusRequest, metadata?: Metadata): never {
    commandContext(metadata, request);
    throw new VersionConflictError(`lead-${request.leadId}`, Number(request.expectedVersion ?? 0), 7);
  }

  @GrpcMethod(contract.service, 'ArchiveLead')
  archiveLead(): never {
    throw new Error('connection refused: postgres://projectflo:secret@db');
  }
}

/** Every caller is an active owner: these tests are about the transport, not about users. */
const everyoneOwns: UserDirectory = { member: async (tenantId, userId) => ({ tenantId, userId, role: 'owner', active: true }) };

@Module({ controllers: [FailingCrmController], providers: [{ provide: USER_DIRECTORY, useValue: everyoneOwns }] })
class FailingCrmModule {}

@Module({ controllers: [FailingCrmController] })
class CrmModuleWithoutDirectory {}

describe('a service that serves RPCs', () => {
  it('refuses to start without a user directory (it could not tell who its users are)', async () => {
    await expect(start(CrmModuleWithoutDirectory)).rejects.toThrow('provides no USER_DIRECTORY');
  });
});

describe('gRPC error mapping through the transport', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  const command = { ...caller, 'x-request-id': 'req-smoke-1' };

  beforeAll(async () => {
    running = await start(FailingCrmModule);
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
  });

  afterAll(async () => {
    client?.close();
    await running?.app.close();
  });

  it('requires x-request-id on a command, naming it', async () => {
    const error = await failedCall(callUnary(client, 'ChangeLeadStatus', { leadId: 'l1', toStatusId: 's2' }, caller));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(details(error).fieldViolations.map((v) => v.field)).toEqual(['x-request-id']);
  });

  it('maps a version conflict to ABORTED with the stream and both versions', async () => {
    const error = await failedCall(callUnary(client, 'ChangeLeadStatus', { leadId: 'l1', toStatusId: 's2', expectedVersion: '3' }, command));
    expect(error.code).toBe(status.ABORTED);
    expect(error.details).toBe('version conflict on stream lead-l1: expected 3, actual 7');
    expect(error.metadata.get('x-expected-version')).toEqual(['3']);
    expect(error.metadata.get('x-actual-version')).toEqual(['7']);
  });

  it('hides an unexpected error behind INTERNAL with the request id as reference', async () => {
    const error = await failedCall(callUnary(client, 'ArchiveLead', { leadId: 'l1' }, command));
    expect(error.code).toBe(status.INTERNAL);
    expect(error.details).toBe('internal error (reference req-smoke-1)');
  });
});
