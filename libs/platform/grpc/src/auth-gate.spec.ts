import { Metadata } from '@grpc/grpc-js';
import { createTokenVerifier, type Role, type TenantMember, type UserDirectory } from '@projectflo/platform/auth';
import { DomainError, DomainErrorCode, systemClock } from '@projectflo/platform/core';
import { silentLogger } from '@projectflo/platform/logging';
import { TestIssuer } from '@projectflo/platform/testing';
import { AuthGate, servesRpcs } from './auth-gate';

const TENANT = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const GET_LEAD = '/projectflo.crm.v1.CrmService/GetLead';
const ASSIGN_LEAD = '/projectflo.crm.v1.CrmService/AssignLead';
const ADD_USER = '/projectflo.crm.v1.CrmService/AddUser';
const REGISTER = '/projectflo.crm.v1.CrmService/RegisterOrganization';
const LIST_TASKS = '/projectflo.tasks.v1.TaskEngineService/ListTasks';

class Directory implements UserDirectory {
  readonly members = new Map<string, TenantMember>();
  add(userId: string, role: Role, active = true): void {
    this.members.set(userId, { tenantId: TENANT, userId, role, active });
  }
  async member(tenantId: string, userId: string): Promise<TenantMember | undefined> {
    const member = this.members.get(userId);
    return member?.tenantId === tenantId ? member : undefined;
  }
}

describe('AuthGate.authorize', () => {
  const issuer = TestIssuer.shared();
  const verifier = createTokenVerifier({
    jwksFile: issuer.env.AUTH_JWKS_FILE,
    issuer: issuer.env.AUTH_ISSUER,
    audience: issuer.env.AUTH_AUDIENCE,
    clock: systemClock,
  });
  let gate: AuthGate;
  let directory: Directory;

  const metadata = (...authorization: string[]) => {
    const m = new Metadata();
    for (const value of authorization) m.add('authorization', value);
    return m;
  };
  const bearer = (userId: string, roles: Role[]) => metadata(`Bearer ${issuer.token({ tenantId: TENANT, userId, roles })}`);
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error as DomainError,
    );

  beforeEach(() => {
    gate = new AuthGate(verifier, silentLogger);
    directory = new Directory();
    gate.bindDirectory(directory);
  });

  it('admits an active member whose role grants the permission, with the role the directory holds', async () => {
    directory.add('ada', 'manager');
    await expect(gate.authorize(ASSIGN_LEAD, bearer('ada', ['manager']))).resolves.toMatchObject({ tenantId: TENANT, userId: 'ada', roles: ['manager'] });
  });

  it.each([
    ['no authorization header', metadata()],
    ['two authorization headers', metadata(`Bearer x`, `Bearer y`)],
    ['a scheme other than Bearer', metadata('Basic YWRhOnNlY3JldA==')],
    ['a garbage token', metadata('Bearer not-a-token')],
    ['an expired token', metadata(`Bearer ${issuer.expiredToken({ tenantId: TENANT, userId: 'ada' })}`)],
    ['a forged signature', metadata(`Bearer ${issuer.forgedToken({ tenantId: TENANT, userId: 'ada' })}`)],
    ['a wrong audience', metadata(`Bearer ${issuer.wrongAudienceToken({ tenantId: TENANT, userId: 'ada' })}`)],
  ])('refuses %s as UNAUTHENTICATED', async (_case, m) => {
    directory.add('ada', 'owner');
    expect((await refusal(gate.authorize(GET_LEAD, m))).code).toBe(DomainErrorCode.Unauthenticated);
  });

  it('refuses a method the matrix does not list (deny by default)', async () => {
    directory.add('ada', 'owner');
    const error = await refusal(gate.authorize('/projectflo.crm.v1.CrmService/DropEverything', bearer('ada', ['owner'])));
    expect(error.code).toBe(DomainErrorCode.PermissionDenied);
    expect(error.message).toContain('declares no permission');
  });

  it('refuses a role that does not grant the permission, naming the permission', async () => {
    directory.add('mo', 'member');
    const error = await refusal(gate.authorize(ASSIGN_LEAD, bearer('mo', ['member'])));
    expect(error.code).toBe(DomainErrorCode.PermissionDenied);
    expect(error.message).toContain('leads.assign');
  });

  it('refuses a user the directory does not know, and one it knows as deactivated', async () => {
    expect((await refusal(gate.authorize(GET_LEAD, bearer('stranger', ['owner'])))).message).toContain('not an active user');
    directory.add('gone', 'owner', false);
    expect((await refusal(gate.authorize(GET_LEAD, bearer('gone', ['owner'])))).code).toBe(DomainErrorCode.PermissionDenied);
  });

  it("counts only the directory's role: a demoted user's old owner token loses the owner's powers", async () => {
    directory.add('ada', 'member');
    const token = bearer('ada', ['owner']);
    expect((await refusal(gate.authorize(ADD_USER, token))).message).toContain('organization.manage-users');
    // The role the directory holds is not in the token either: nothing counts.
    const refused = await refusal(gate.authorize(GET_LEAD, token));
    expect(refused.code).toBe(DomainErrorCode.PermissionDenied);
    expect(refused.message).toContain("the token's roles [owner] do not include the user's role, member");
  });

  it('lets no token raise a role: a member token of a user the directory holds as owner acts as a member at most', async () => {
    directory.add('ada', 'owner');
    expect((await refusal(gate.authorize(ADD_USER, bearer('ada', ['member'])))).code).toBe(DomainErrorCode.PermissionDenied);
  });

  it('admits RegisterOrganization without the active-user check (the tenant does not exist yet), but still by role', async () => {
    await expect(gate.authorize(REGISTER, bearer('founder', ['owner']))).resolves.toMatchObject({ userId: 'founder' });
    expect((await refusal(gate.authorize(REGISTER, bearer('founder', ['admin'])))).message).toContain('organization.register');
  });

  it('admits a service identity by its grant, without the directory, and refuses what it is not granted', async () => {
    const service = (name: string) => metadata(`Bearer ${issuer.serviceToken(name, TENANT)}`);
    await expect(gate.authorize(LIST_TASKS, service('scheduling'))).resolves.toMatchObject({ kind: 'service', userId: 'service:scheduling' });
    expect((await refusal(gate.authorize(ADD_USER, service('scheduling')))).message).toContain('service scheduling is not granted');
    expect((await refusal(gate.authorize(GET_LEAD, service('unknown-service')))).code).toBe(DomainErrorCode.PermissionDenied);
  });

  it('without a directory bound, refuses every user (fails closed) but still lets a user register an organization', async () => {
    const unbound = new AuthGate(verifier, silentLogger);
    expect(unbound.hasDirectory).toBe(false);
    expect((await refusal(unbound.authorize(GET_LEAD, bearer('anyone', ['member'])))).code).toBe(DomainErrorCode.PermissionDenied);
    await expect(unbound.authorize(REGISTER, bearer('founder', ['owner']))).resolves.toMatchObject({ roles: ['owner'] });
  });

  it('knows which services serve RPCs (those must bind a directory to start)', () => {
    expect(servesRpcs('projectflo.crm.v1.CrmService')).toBe(true);
    expect(servesRpcs('projectflo.tasks.v1.TaskEngineService')).toBe(true);
    expect(servesRpcs('projectflo.ledger.v1.NoSuchService')).toBe(false);
  });

  it('never quotes the token in a refusal', async () => {
    const token = issuer.wrongAudienceToken({ tenantId: TENANT, userId: 'ada' });
    expect((await refusal(gate.authorize(GET_LEAD, metadata(`Bearer ${token}`)))).message).not.toContain(token.slice(0, 20));
  });
});
