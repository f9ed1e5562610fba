import { randomBytes, randomUUID } from 'node:crypto';
import { type ServiceError, status } from '@grpc/grpc-js';
import type { Kafka, Producer } from 'kafkajs';
import { type crmOrganizationEventsV1, type crmV1, GRPC_CONTRACTS, grpcServerContract, PROTO_ROOT, type ServiceName, type tasksV1 } from '@projectflo/contracts';
import { type Permission, type Role, ROLES, rolesGrant, RPC_PERMISSIONS, SERVICE_GRANTS, serviceGranted } from '@projectflo/platform/auth';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { Caller, eventually, freePort, TestIssuer, TestTopics } from '@projectflo/platform/testing';
import type { Type } from '@nestjs/common';
import type { EventSourcedServiceOptions } from '@projectflo/platform/service';
import { BuildLedgerAppModule } from '../../apps/build-ledger/src/app.module';
import { BUILD_LEDGER_SERVICE_OPTIONS } from '../../apps/build-ledger/src/build-ledger.service-options';
import { NotificationsAppModule } from '../../apps/notifications/src/app.module';
import { NOTIFICATIONS_SERVICE_OPTIONS } from '../../apps/notifications/src/notifications.service-options';
import { SchedulingAppModule } from '../../apps/scheduling/src/app.module';
import { SCHEDULING_SERVICE_OPTIONS } from '../../apps/scheduling/src/scheduling.service-options';
import { TaskEngineAppModule } from '../../apps/task-engine/src/app.module';
import { TASK_ENGINE_SERVICE_OPTIONS } from '../../apps/task-engine/src/task-engine.service-options';
import { enrolUser, waitForMember } from '../../apps/task-engine/src/testing/task-engine.test-support';
import { type CrmTestApp, startCrmTestApp, tenantEventCount } from '../../apps/crm/src/testing/crm-test-app';

// Every RPC of crm, the task-engine, scheduling, notifications and build-ledger, called by every role and every
// service identity against the real services: PERMISSION_DENIED exactly where the permission matrix denies. A minimal
// request (`{}`) is enough: an allowed call may fail its validation, never the gate. Then the
// gate's refusals of bad tokens (nothing appended) and one tenant's token on another's ids.

type GrpcClient = ReturnType<typeof createGrpcClient>;

/** The proto enum name of each role (the loader takes enums by name). */
const USER_ROLES: Readonly<Record<Role, string>> = {
  owner: 'USER_ROLE_OWNER',
  admin: 'USER_ROLE_ADMIN',
  manager: 'USER_ROLE_MANAGER',
  member: 'USER_ROLE_MEMBER',
  contributor: 'USER_ROLE_CONTRIBUTOR',
  client: 'USER_ROLE_CLIENT',
};
const EVENT_ROLES: Readonly<Record<Role, crmOrganizationEventsV1.UserRoleV1>> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  member: 'Member',
  contributor: 'Contributor',
  client: 'Client',
};

/** The full method paths of one service's RPCs, as the matrix lists them. */
const rpcsOf = (service: ServiceName) => [...RPC_PERMISSIONS.entries()].filter(([path]) => path.startsWith(`/${GRPC_CONTRACTS[service].fullServiceName}/`));
const methodOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

async function codeOf(promise: Promise<unknown>): Promise<status> {
  try {
    await promise;
    return status.OK;
  } catch (error) {
    return (error as ServiceError).code;
  }
}

/** Until the service's user directory holds the user, active, in the role. */
const waitForDirectory = (running: RunningService<unknown>, tenantId: string, userId: string, role: Role) =>
  waitForMember(running, tenantId, userId, (member) => member?.active === true && member.role === role);

/** The services that learn their users from crm's events, each started here on a schema, queue and topics of this run. */
const DIRECTORY_SERVICES: readonly { readonly name: Exclude<ServiceName, 'crm'>; readonly appModule: Type<unknown>; readonly options: EventSourcedServiceOptions }[] = [
  { name: 'task-engine', appModule: TaskEngineAppModule, options: TASK_ENGINE_SERVICE_OPTIONS },
  { name: 'scheduling', appModule: SchedulingAppModule, options: SCHEDULING_SERVICE_OPTIONS },
  { name: 'notifications', appModule: NotificationsAppModule, options: NOTIFICATIONS_SERVICE_OPTIONS },
  { name: 'build-ledger', appModule: BuildLedgerAppModule, options: BUILD_LEDGER_SERVICE_OPTIONS },
];
type DirectoryServiceName = (typeof DIRECTORY_SERVICES)[number]['name'];

describe('the RPC × role matrix against the real crm, task-engine, scheduling, notifications and build-ledger', () => {
  const issuer = TestIssuer.shared();
  const run = randomBytes(4).toString('hex');
  const topics = new TestTopics(`authz_${run}.`);
  const schemaOf = (name: DirectoryServiceName) => `${name.replace(/-/g, '_')}_authz_${run}`;
  let crm: CrmTestApp;
  const running = new Map<DirectoryServiceName, { service: RunningService<unknown>; client: GrpcClient }>();
  let kafka: Kafka;
  let producer: Producer;
  const taskEngine = () => running.get('task-engine')!.service;
  const tasksClient = () => running.get('task-engine')!.client;

  const owner = new Caller(randomUUID(), randomUUID(), ['owner']);
  /** One user of each role in the tenant (the owner registered it; the others were added by the owner). */
  const users = new Map<Role, Caller>([['owner', owner]]);
  const clientOf = (service: ServiceName): GrpcClient => (service === 'crm' ? crm.client : running.get(service as DirectoryServiceName)!.client);

  beforeAll(async () => {
    crm = await startCrmTestApp();
    kafka = topics.client(`authz-${run}`);
    producer = kafka.producer();
    await producer.connect();
    for (const { name, appModule } of DIRECTORY_SERVICES) {
      const service = await bootstrapGrpcService({
        ...grpcServerContract(name),
        appModule,
        env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schemaOf(name), KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `${name}-authz-${run}`, LOG_LEVEL: process.env['AUTHZ_LOG_LEVEL'] ?? 'error' },
      });
      const contract = GRPC_CONTRACTS[name];
      running.set(name, { service, client: createGrpcClient({ address: service.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName }) });
    }

    await callUnary(crm.client, 'RegisterOrganization', { name: 'Matrix Studio', timezone: 'UTC', ownerName: 'Olive Owner', ownerEmail: 'olive@matrix.example' }, owner.command());
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const added = await callUnary<crmV1.AddUserResponse>(crm.client, 'AddUser', { name: `The ${role}`, email: `${role}@matrix.example`, role: USER_ROLES[role] }, owner.command());
      users.set(role, new Caller(owner.tenantId, added.user!.userId, [role]));
    }
    for (const [role, caller] of users) {
      await waitForDirectory(crm.running, owner.tenantId, caller.actorId, role);
      // The other services learn crm's users from crm.organization.v1; these instances read the run's topics.
      for (const { service } of running.values()) await enrolUser(producer, service, owner.tenantId, caller.actorId, EVENT_ROLES[role]);
    }
  }, 240_000);

  afterAll(async () => {
    for (const { service, client } of running.values()) {
      client.close();
      await service.app.close();
    }
    await producer?.disconnect();
    await topics.delete(DIRECTORY_SERVICES.flatMap(({ name, options }) => Object.keys(options.consumes ?? {}).map((purpose) => `${schemaOf(name)}.${purpose}`)));
    for (const { name } of DIRECTORY_SERVICES) await crm?.pool.query(`DROP SCHEMA IF EXISTS "${schemaOf(name)}" CASCADE`);
    await crm?.close();
  }, 60_000);

  const cases = (['crm', ...DIRECTORY_SERVICES.map((d) => d.name)] as const).flatMap((service) => rpcsOf(service).map(([path, permission]) => ({ service, path, permission })));

  it('lists every RPC of every service', () => {
    expect(cases.length).toBe(RPC_PERMISSIONS.size);
  });

  it.each(cases)('$path: PERMISSION_DENIED exactly for the roles and services without $permission', async ({ service, path, permission }) => {
    const outcomes: Record<string, { code: string; expected: string }> = {};
    const expectation = (allowed: boolean, code: status) => {
      const denied = code === status.PERMISSION_DENIED || code === status.UNAUTHENTICATED;
      // An admitted call may fail validation or find nothing, but never crash or fail open.
      const broken = code === status.INTERNAL || code === status.UNKNOWN || code === status.UNAVAILABLE;
      const admitted = denied ? 'allowed, but refused' : broken ? 'allowed, but broken' : status[code];
      return { code: status[code], expected: allowed ? admitted : status[status.PERMISSION_DENIED] };
    };
    for (const [role, caller] of users) {
      const code = await codeOf(callUnary(clientOf(service), methodOf(path), {}, caller.command()));
      outcomes[role] = expectation(rolesGrant([role], permission as Permission), code);
    }
    for (const name of Object.keys(SERVICE_GRANTS)) {
      const token = issuer.serviceToken(name, owner.tenantId);
      const code = await codeOf(callUnary(clientOf(service), methodOf(path), {}, { ...TestIssuer.bearer(token), 'x-request-id': randomUUID() }));
      outcomes[`service:${name}`] = expectation(serviceGranted(name, permission as Permission), code);
    }
    expect(Object.fromEntries(Object.entries(outcomes).map(([who, o]) => [who, o.code]))).toEqual(
      Object.fromEntries(Object.entries(outcomes).map(([who, o]) => [who, o.expected])),
    );
  });

  describe('tokens the gate refuses: UNAUTHENTICATED, nothing appended', () => {
    const userId = () => owner.actorId;
    const refused: [string, () => Record<string, string>][] = [
      ['no token', () => ({})],
      ['an expired token', () => TestIssuer.bearer(issuer.expiredToken({ tenantId: owner.tenantId, userId: userId() }))],
      ['a forged signature', () => TestIssuer.bearer(issuer.forgedToken({ tenantId: owner.tenantId, userId: userId() }))],
      ['a wrong audience', () => TestIssuer.bearer(issuer.wrongAudienceToken({ tenantId: owner.tenantId, userId: userId() }))],
      ['identity headers instead of a token', () => ({ 'x-tenant-id': owner.tenantId, 'x-actor-id': userId() })],
    ];

    it.each(refused)('%s', async (_case, headers) => {
      const before = await tenantEventCount(crm, owner.tenantId);
      const code = await codeOf(callUnary(crm.client, 'DefineLeadStatus', { name: `Refused ${randomUUID()}` }, { ...headers(), 'x-request-id': randomUUID() }));
      expect(status[code]).toBe('UNAUTHENTICATED');
      expect(await tenantEventCount(crm, owner.tenantId)).toBe(before);
    });

    it('while the same command with a valid token appends (the count can move)', async () => {
      const before = await tenantEventCount(crm, owner.tenantId);
      await callUnary(crm.client, 'DefineLeadStatus', { name: `Accepted ${randomUUID()}` }, owner.command());
      expect(await tenantEventCount(crm, owner.tenantId)).toBe(before + 1);
    });
  });

  it("a token of tenant A on tenant B's ids gets NOT_FOUND", async () => {
    const b = new Caller(randomUUID(), randomUUID(), ['owner']);
    await callUnary(crm.client, 'RegisterOrganization', { name: 'Studio B', timezone: 'UTC', ownerName: 'Bea', ownerEmail: 'bea@b.example' }, b.command());
    await waitForDirectory(crm.running, b.tenantId, b.actorId, 'owner');
    const { leadStatus } = await callUnary<crmV1.DefineLeadStatusResponse>(crm.client, 'DefineLeadStatus', { name: 'New' }, b.command());
    const { contact } = await callUnary<crmV1.CreateContactResponse>(
      crm.client,
      'CreateContact',
      { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Priya', lastName: 'B', email: 'priya@b.example' },
      b.command(),
    );
    const { lead } = await callUnary<crmV1.CaptureLeadResponse>(crm.client, 'CaptureLead', { contactId: contact!.contactId, statusId: leadStatus!.statusId, source: 'website' }, b.command());
    const leadId = lead!.leadId;
    await eventually(() => callUnary<crmV1.GetLeadResponse>(crm.client, 'GetLead', { leadId }, b.query()), () => true, { what: "B's lead in the read model" });

    expect(status[await codeOf(callUnary(crm.client, 'GetLead', { leadId }, owner.query()))]).toBe('NOT_FOUND');
    expect(status[await codeOf(callUnary(crm.client, 'GetLeadHistory', { leadId }, owner.query()))]).toBe('NOT_FOUND');
    expect(status[await codeOf(callUnary(crm.client, 'ArchiveLead', { leadId }, owner.command()))]).toBe('NOT_FOUND');
    // B's own owner still reads it: the NOT_FOUND is the tenant boundary, not a missing lead.
    expect((await callUnary<crmV1.GetLeadResponse>(crm.client, 'GetLead', { leadId }, b.query())).lead?.leadId).toBe(leadId);

    await enrolUser(producer, taskEngine(), b.tenantId, b.actorId, 'Owner');
    const { template } = await callUnary<tasksV1.CreateTaskTemplateResponse>(
      tasksClient(),
      'CreateTaskTemplate',
      { template: { key: 'b-only', trigger: { leadStatusId: leadStatus!.statusId }, name: 'B only', dueOffset: { days: 1, anchor: 'DUE_ANCHOR_TRIGGER_TIME' } } },
      b.command(),
    );
    expect(status[await codeOf(callUnary(tasksClient(), 'GetTaskTemplateHistory', { templateId: template!.templateId }, owner.query()))]).toBe('NOT_FOUND');
  });
});
