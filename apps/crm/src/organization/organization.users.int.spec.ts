import { status } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { addUser, call, Caller, type CrmTestApp, eventually, failure, registerOrganization, startCrmTestApp } from '../testing/crm-test-app';

// Who may call crm, against the real server: only active users of the tenant, with the powers of
// the role crm holds for them now (not the one their token was issued with), and private notes
// stay their author's, in GetLead and in GetLeadHistory.

describe('crm users and roles (real gRPC server, Postgres, Kafka)', () => {
  let app: CrmTestApp;
  const owner = new Caller();
  const rpc = <R>(method: string, request: object, caller: Caller = owner) => call<R>(app.client, method, request, caller.command());
  const query = <R>(method: string, request: object, caller: Caller = owner) => call<R>(app.client, method, request, caller.query());
  const refusal = async (promise: Promise<unknown>) => (await failure(promise)).code;

  beforeAll(async () => {
    app = await startCrmTestApp();
    await registerOrganization(app, owner);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a deactivated user whose token is still valid, from the next call on, and lets them back in once reactivated', async () => {
    const member = await addUser(app, owner, 'member');
    await expect(query('ListLeadStatuses', {}, member)).resolves.toEqual({ leadStatuses: [] });

    const deactivated = await rpc<crmV1.DeactivateUserResponse>('DeactivateUser', { userId: member.actorId, reason: 'left the studio' });
    expect(deactivated.user).toMatchObject({ userId: member.actorId, active: false });
    expect(await refusal(query('ListLeadStatuses', {}, member))).toBe(status.PERMISSION_DENIED);
    expect(await refusal(rpc('DefineLeadStatus', { name: 'New' }, member))).toBe(status.PERMISSION_DENIED);

    await rpc('ReactivateUser', { userId: member.actorId });
    await expect(query('ListLeadStatuses', {}, member)).resolves.toEqual({ leadStatuses: [] });
  });

  it('takes the powers of the old role from a demoted user, whatever their token says', async () => {
    const admin = await addUser(app, owner, 'admin');
    await rpc('AddUser', { name: 'Hired by admin', email: 'hired@studio.example', role: 'USER_ROLE_MEMBER' }, admin);

    const demoted = await rpc<crmV1.ChangeUserRoleResponse>('ChangeUserRole', { userId: admin.actorId, role: 'USER_ROLE_MEMBER' });
    expect(demoted.user).toMatchObject({ role: 'USER_ROLE_MEMBER', active: true });
    // The admin token still verifies, but no longer names a role crm holds for them.
    expect(await refusal(rpc('AddUser', { name: 'Too late', email: 'late@studio.example', role: 'USER_ROLE_MEMBER' }, admin))).toBe(status.PERMISSION_DENIED);
    // A member's token (even one that also claims admin) has a member's powers only.
    const asMember = new Caller(owner.tenantId, admin.actorId, ['member', 'admin']);
    await expect(query<crmV1.GetOrganizationResponse>('GetOrganization', {}, asMember)).resolves.toMatchObject({ organization: { organizationId: owner.tenantId } });
    expect(await refusal(rpc('AddUser', { name: 'Still no', email: 'no@studio.example', role: 'USER_ROLE_MEMBER' }, asMember))).toBe(status.PERMISSION_DENIED);
  });

  it('keeps an active owner: the last one can be neither demoted nor deactivated, and only an owner makes or unmakes one', async () => {
    expect(await refusal(rpc('ChangeUserRole', { userId: owner.actorId, role: 'USER_ROLE_ADMIN' }))).toBe(status.FAILED_PRECONDITION);
    expect(await refusal(rpc('DeactivateUser', { userId: owner.actorId }))).toBe(status.FAILED_PRECONDITION);

    const admin = await addUser(app, owner, 'admin');
    expect(await refusal(rpc('ChangeUserRole', { userId: admin.actorId, role: 'USER_ROLE_OWNER' }, admin))).toBe(status.PERMISSION_DENIED);
    expect(await refusal(rpc('DeactivateUser', { userId: owner.actorId }, admin))).toBe(status.PERMISSION_DENIED);

    await rpc('ChangeUserRole', { userId: admin.actorId, role: 'USER_ROLE_OWNER' });
    const coOwner = new Caller(owner.tenantId, admin.actorId, ['owner']);
    // With a second active owner, the first may step down (and the second may not, then).
    await rpc('ChangeUserRole', { userId: owner.actorId, role: 'USER_ROLE_ADMIN' }, coOwner);
    expect(await refusal(rpc('DeactivateUser', { userId: coOwner.actorId }, coOwner))).toBe(status.FAILED_PRECONDITION);
    await rpc('ChangeUserRole', { userId: owner.actorId, role: 'USER_ROLE_OWNER' }, coOwner);
  });

  it("shows a user's private note to them only, in GetLead and in GetLeadHistory", async () => {
    const author = await addUser(app, owner, 'member');
    const colleague = await addUser(app, owner, 'member');
    await rpc('DefineLeadStatus', { name: 'Inquiry' });
    const contact = await rpc<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Iris', lastName: 'Vale', email: 'iris@example.com' });
    const { lead } = await rpc<crmV1.CaptureLeadResponse>('CaptureLead', { contactId: contact.contact!.contactId, source: 'website' });
    const leadId = lead!.leadId;
    const secret = 'SECRET-budget-is-flexible';
    await rpc('AddLeadNote', { leadId, body: secret, private: true }, author);
    await rpc('AddLeadNote', { leadId, body: 'shared with the team' }, author);

    const seenBy = async (caller: Caller) => {
      const read = await query<crmV1.GetLeadResponse>('GetLead', { leadId }, caller);
      const { history } = await query<crmV1.GetLeadHistoryResponse>('GetLeadHistory', { leadId }, caller);
      return { notes: read.notes.map((n) => n.body).sort(), history: history!.events.map((e) => e.dataJson).join('\n'), events: history!.events.length };
    };
    // GetLead reads the read model, which follows the event store closely but not at once.
    const theirs = await eventually(() => seenBy(author), (seen) => seen.notes.length === 2, { what: "the author's notes in the read model" });
    const others = await seenBy(colleague);
    expect(theirs.notes).toEqual([secret, 'shared with the team'].sort());
    expect(theirs.history).toContain(secret);
    expect(others.notes).toEqual(['shared with the team']);
    expect(others.history).not.toContain(secret);
    // The audit trail still shows that a private note was added, and by whom.
    expect(others.events).toBe(theirs.events);
    expect(others.history).toContain(`"addedBy":"${author.actorId}"`);
    const { history } = await query<crmV1.GetLeadHistoryResponse>('GetLeadHistory', { leadId }, author);
    expect(history!.events.map((e) => [e.actorId, e.actorKind]).slice(-2)).toEqual([
      [author.actorId, 'user'],
      [author.actorId, 'user'],
    ]);
  });

  it('knows a user of one tenant as no user of another', async () => {
    const elsewhere = new Caller();
    await registerOrganization(app, elsewhere);
    const intruder = new Caller(elsewhere.tenantId, owner.actorId, ['owner']);
    expect(await refusal(query('GetOrganization', {}, intruder))).toBe(status.PERMISSION_DENIED);
    const theirs = await eventually(
      () => query<crmV1.GetOrganizationResponse>('GetOrganization', {}, elsewhere).catch(() => undefined),
      // OrganizationRegistered and its owner's UserAdded are two events: the read model may show the first alone for a moment.
      (read) => read !== undefined && read.users.length > 0,
      { what: 'the other organization and its owner in the read model' },
    );
    expect(theirs?.users.map((u) => u.userId)).toEqual([elsewhere.actorId]);
  });
});
