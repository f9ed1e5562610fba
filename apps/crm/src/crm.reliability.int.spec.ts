import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { streamName } from '@projectflo/crm/domain';
import {
  call,
  Caller,
  eventually,
  type CrmTestApp,
  failure,
  fieldViolations,
  startCrmTestApp,
  statusDetails,
  streamEvents,
  tenantEventCount,
} from './testing/crm-test-app';

// RELIABILITY.md scenarios 6 (racing commands), 11 (malformed input), 12 (tenant isolation),
// plus request-id idempotency and per-tenant email uniqueness, against the real service.

interface Tenant {
  readonly caller: Caller;
  readonly statuses: string[];
  readonly userId: string;
  readonly contactId: string;
}

describe('crm reliability (real Postgres, Kafka, Temporal)', () => {
  let app: CrmTestApp;
  const rpc = <R>(caller: Caller, method: string, request: object, requestId?: string) =>
    call<R>(app.client, method, request, caller.command(requestId));
  const query = <R>(caller: Caller, method: string, request: object) => call<R>(app.client, method, request, caller.query());

  /** A registered organization with one user, two statuses (New, Won) and one contact. */
  async function tenant(): Promise<Tenant> {
    const caller = new Caller();
    await rpc(caller, 'RegisterOrganization', { name: 'Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' });
    const user = await rpc<crmV1.AddUserResponse>(caller, 'AddUser', { name: 'Ada', email: 'ada@studio.example', role: 'USER_ROLE_MEMBER' });
    const statuses: string[] = [];
    for (const name of ['New', 'Contacted', 'Won']) {
      statuses.push((await rpc<crmV1.DefineLeadStatusResponse>(caller, 'DefineLeadStatus', { name })).leadStatus!.statusId);
    }
    const contact = await rpc<crmV1.CreateContactResponse>(caller, 'CreateContact', {
      type: 'CONTACT_TYPE_CLIENT',
      firstName: 'Maya',
      email: `maya-${randomUUID()}@example.com`,
    });
    return { caller, statuses, userId: user.user!.userId, contactId: contact.contact!.contactId };
  }

  async function capture(t: Tenant, extra: object = {}): Promise<crmV1.Lead> {
    return (await rpc<crmV1.CaptureLeadResponse>(t.caller, 'CaptureLead', { contactId: t.contactId, source: 'website', ...extra })).lead!;
  }

  beforeAll(async () => {
    app = await startCrmTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('6: two commands race on one lead', () => {
    it('lets exactly one of two ChangeLeadStatus with the same expected_version through; the other is ABORTED naming the versions', async () => {
      const t = await tenant();
      const lead = await capture(t);
      let version = Number(lead.version);
      let current = lead.statusId;
      for (let round = 0; round < 5; round++) {
        // Two real moves: asking for the current status would be FAILED_PRECONDITION.
        const others = t.statuses.filter((s) => s !== current);
        const [a, b] = round % 2 === 0 ? [others[0], others[1]] : [others[1], others[0]];
        const outcomes = await Promise.allSettled([
          rpc<crmV1.ChangeLeadStatusResponse>(t.caller, 'ChangeLeadStatus', { leadId: lead.leadId, toStatusId: a, expectedVersion: String(version) }),
          rpc<crmV1.ChangeLeadStatusResponse>(t.caller, 'ChangeLeadStatus', { leadId: lead.leadId, toStatusId: b, expectedVersion: String(version) }),
        ]);
        const won = outcomes.filter((o): o is PromiseFulfilledResult<crmV1.ChangeLeadStatusResponse> => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const error = lost[0].reason as import('@grpc/grpc-js').ServiceError;
        expect(error.code).toBe(status.ABORTED);
        expect(error.details).toBe(`version conflict on stream ${streamName.lead(lead.leadId)}: expected ${version}, actual ${version + 1}`);
        expect(error.metadata.get('x-expected-version')).toEqual([String(version)]);
        expect(error.metadata.get('x-actual-version')).toEqual([String(version + 1)]);
        expect(won[0].value.lead?.version).toBe(String(version + 1));

        // No update is lost: the loser, told the versions, reapplies on top of the winner.
        const loserTarget = won[0].value.lead!.statusId === a ? b : a;
        const retried = await rpc<crmV1.ChangeLeadStatusResponse>(t.caller, 'ChangeLeadStatus', {
          leadId: lead.leadId,
          toStatusId: loserTarget,
          expectedVersion: String(version + 1),
        });
        expect(retried.lead).toMatchObject({ statusId: loserTarget, version: String(version + 2) });
        version += 2;
        current = loserTarget;
      }
      const events = await streamEvents(app, streamName.lead(lead.leadId));
      expect(events).toHaveLength(version);
      const read = await eventually(
        () => query<crmV1.GetLeadResponse>(t.caller, 'GetLead', { leadId: lead.leadId }),
        (r) => r.lead?.version === String(version),
        { what: 'the read model to catch up' },
      );
      expect(read.statusHistory).toHaveLength(version);
    });
  });

  describe('11: malformed, oversized or hostile input', () => {
    let t: Tenant;
    let lead: crmV1.Lead;
    let before = 0;

    beforeAll(async () => {
      t = await tenant();
      lead = await capture(t);
    });

    beforeEach(async () => {
      before = await tenantEventCount(app, t.caller.tenantId);
    });

    afterEach(async () => {
      // Nothing a rejected command touched was written.
      expect(await tenantEventCount(app, t.caller.tenantId)).toBe(before);
    });

    async function invalid(method: string, request: object): Promise<string[]> {
      const error = await failure(rpc(t.caller, method, request));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      return fieldViolations(error);
    }

    it('rejects empty names, naming the field', async () => {
      expect(await invalid('DefineLeadStatus', { name: '   ' })).toEqual(['name']);
      expect(await invalid('RegisterOrganization', { name: '', timezone: 'Mars/Olympus', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' })).toEqual(['name', 'timezone']);
      expect(await invalid('RenameLeadStatus', { statusId: t.statuses[0], name: '' })).toEqual(['name']);
    });

    it('rejects a contact with a bad email, no first name and no type, writing neither reservation nor contact', async () => {
      const requestId = randomUUID();
      const error = await failure(rpc(t.caller, 'CreateContact', { firstName: '', email: 'not-an-email', company: 'x'.repeat(201) }, requestId));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldViolations(error)).toEqual(['type', 'first_name', 'email', 'company']);
      expect(await streamEvents(app, streamName.contactEmail(t.caller.tenantId, 'not-an-email'))).toEqual([]);
    });

    it('reports an unknown status as NOT_FOUND and leaves the lead stream empty', async () => {
      const requestId = randomUUID();
      const error = await failure(rpc(t.caller, 'CaptureLead', { contactId: t.contactId, source: 'web', statusId: randomUUID() }, requestId));
      expect(error.code).toBe(status.NOT_FOUND);
      const moved = await failure(rpc(t.caller, 'ChangeLeadStatus', { leadId: lead.leadId, toStatusId: randomUUID() }));
      expect(moved.code).toBe(status.NOT_FOUND);
      expect(await streamEvents(app, streamName.lead(lead.leadId))).toHaveLength(1);
    });

    it('rejects garbage ids, dates, enums and negative numbers', async () => {
      expect(await invalid('CaptureLead', { contactId: 'robert"); DROP TABLE leads;--', source: 'web' })).toEqual(['contact_id']);
      expect(await invalid('CaptureLead', { contactId: t.contactId, source: '', eventDate: '2026-02-30' })).toEqual(['event_date', 'source']);
      expect(await invalid('CaptureLead', { contactId: t.contactId, source: 'web', eventDate: 'tomorrow' })).toEqual(['event_date']);
      expect(await invalid('CaptureLead', { contactId: t.contactId, source: 'web', followUpDate: '2026-13-01' })).toEqual(['follow_up_date']);
      expect(await invalid('DefineLeadStatus', { name: 'Late', position: -3 })).toEqual(['position']);
      expect(await invalid('ChangeLeadStatus', { leadId: lead.leadId, toStatusId: t.statuses[1], expectedVersion: '-1' })).toEqual([
        'expected_version',
      ]);
      expect(await invalid('AssignLead', { leadId: lead.leadId, assigneeId: '' })).toEqual(['assignee_id']);
      expect(await invalid('LogCommunication', { leadId: lead.leadId, status: 'bogus' })).toEqual(['type', 'direction', 'status']);
      expect(await invalid('AddLeadNote', { leadId: lead.leadId, body: 'hi', mentions: ['someone'] })).toEqual(['mentions[0]']);
      expect(await invalid('AddUser', { name: 'Eve', email: 'eve@', role: 'USER_ROLE_UNSPECIFIED' })).toEqual(['email', 'role']);
      const list = await failure(query(t.caller, 'ListLeads', { page: { pageSize: -1, pageToken: 'garbage' } }));
      expect(list.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldViolations(list)).toEqual(['page.page_size', 'page.page_token']);
    });

    it('rejects oversized text under the transport limit with INVALID_ARGUMENT, and the transport limit with RESOURCE_EXHAUSTED', async () => {
      expect(await invalid('AddLeadNote', { leadId: lead.leadId, body: 'x'.repeat(20_000) })).toEqual(['body']);
      expect(await invalid('DefineLeadStatus', { name: 'n'.repeat(201) })).toEqual(['name']);
      const huge = await failure(rpc(t.caller, 'AddLeadNote', { leadId: lead.leadId, body: 'x'.repeat(5 * 1024 * 1024) }));
      expect(huge.code).toBe(status.RESOURCE_EXHAUSTED);
    });
  });

  describe("12: a caller of tenant B asks for tenant A's ids", () => {
    it('gets NOT_FOUND for every read and write, and never sees a row of A', async () => {
      const a = await tenant();
      const lead = await capture(a, { followUpDate: '2026-03-01' });
      await eventually(() => query(a.caller, 'GetLead', { leadId: lead.leadId }), () => true, { what: "A's lead in the read model" });
      // The owner of another tenant (registered, nothing else): a real user, whose token is for B only.
      const b = new Caller();
      await rpc(b, 'RegisterOrganization', { name: 'Other Studio', timezone: 'UTC', ownerName: 'Other Owner', ownerEmail: 'owner@other.example' });
      const before = await streamEvents(app, streamName.lead(lead.leadId));

      for (const [method, request] of [
        ['GetLead', { leadId: lead.leadId }],
        ['GetLeadHistory', { leadId: lead.leadId }],
        ['GetContact', { contactId: a.contactId }],
      ] as const) {
        expect((await failure(query(b, method, request))).code).toBe(status.NOT_FOUND);
      }
      for (const [method, request] of [
        ['ChangeLeadStatus', { leadId: lead.leadId, toStatusId: a.statuses[1] }],
        ['AddLeadNote', { leadId: lead.leadId, body: 'sneaky' }],
        ['ArchiveLead', { leadId: lead.leadId }],
        ['ArchiveContact', { contactId: a.contactId }],
        ['RenameLeadStatus', { statusId: a.statuses[0], name: 'Mine now' }],
      ] as const) {
        expect((await failure(rpc(b, method, request))).code).toBe(status.NOT_FOUND);
      }
      expect(await streamEvents(app, streamName.lead(lead.leadId))).toEqual(before);

      const list = await query<crmV1.ListLeadsResponse>(b, 'ListLeads', { includeArchived: true, statusId: a.statuses[0] });
      expect(list.leads).toEqual([]);
      expect((await query<crmV1.ListLeadsResponse>(b, 'ListLeads', { followUpFrom: '2000-01-01' })).leads).toEqual([]);
      expect((await query<crmV1.ListLeadStatusesResponse>(b, 'ListLeadStatuses', { includeRetired: true })).leadStatuses).toEqual([]);
      expect(await query<crmV1.GetPipelineSummaryResponse>(b, 'GetPipelineSummary', { includeRetired: true })).toEqual({ stages: [], openLeads: 0 });
      const own = await eventually(() => query<crmV1.GetOrganizationResponse>(b, 'GetOrganization', {}).catch(() => undefined), (r) => r !== undefined, { what: "B's organization" });
      expect(own?.users.map((u) => u.userId)).toEqual([b.actorId]);
      // A itself still sees its lead.
      expect((await query<crmV1.ListLeadsResponse>(a.caller, 'ListLeads', {})).leads.map((l) => l.leadId)).toEqual([lead.leadId]);
    });
  });

  describe('idempotency and uniqueness', () => {
    it('answers a repeated x-request-id with the first response and appends nothing more', async () => {
      const t = await tenant();
      const captureId = randomUUID();
      const request = { contactId: t.contactId, source: 'web', assigneeId: t.userId };
      const first = await rpc<crmV1.CaptureLeadResponse>(t.caller, 'CaptureLead', request, captureId);
      const second = await rpc<crmV1.CaptureLeadResponse>(t.caller, 'CaptureLead', request, captureId);
      expect(second).toEqual(first);
      expect(first.lead).toMatchObject({ assigneeId: t.userId, version: '2' });
      const leadId = first.lead!.leadId;

      const changeId = randomUUID();
      const change = { leadId, toStatusId: t.statuses[1], expectedVersion: '2' };
      const moved = await rpc<crmV1.ChangeLeadStatusResponse>(t.caller, 'ChangeLeadStatus', change, changeId);
      expect(await rpc(t.caller, 'ChangeLeadStatus', change, changeId)).toEqual(moved);

      const noteId = randomUUID();
      const note = await rpc<crmV1.AddLeadNoteResponse>(t.caller, 'AddLeadNote', { leadId, body: 'once' }, noteId);
      expect(await rpc(t.caller, 'AddLeadNote', { leadId, body: 'once' }, noteId)).toEqual(note);

      expect((await streamEvents(app, streamName.lead(leadId))).map((e) => e.type)).toEqual([
        'LeadCaptured',
        'LeadAssigned',
        'LeadStatusChanged',
        'LeadNoteAdded',
      ]);

      const contactRequestId = randomUUID();
      const contact = { type: 'CONTACT_TYPE_VENDOR', firstName: 'Vera', email: `vera-${randomUUID()}@example.com` };
      const created = await rpc<crmV1.CreateContactResponse>(t.caller, 'CreateContact', contact, contactRequestId);
      expect(await rpc(t.caller, 'CreateContact', contact, contactRequestId)).toEqual(created);
      expect(await streamEvents(app, streamName.contact(created.contact!.contactId))).toHaveLength(1);
      expect(await streamEvents(app, streamName.contactEmail(t.caller.tenantId, contact.email))).toHaveLength(1);
    });

    it('gives a second contact with the same email (any case) ALREADY_EXISTS naming the holder, and writes nothing for it', async () => {
      const t = await tenant();
      const email = `dup-${randomUUID()}@example.com`;
      const holder = await rpc<crmV1.CreateContactResponse>(t.caller, 'CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'A', email });
      const before = await tenantEventCount(app, t.caller.tenantId);
      const error = await failure(rpc(t.caller, 'CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'B', email: ` ${email.toUpperCase()} ` }));
      expect(error.code).toBe(status.ALREADY_EXISTS);
      expect(statusDetails(error)?.errorInfo?.metadata).toMatchObject({ contactId: holder.contact!.contactId });
      expect(await tenantEventCount(app, t.caller.tenantId)).toBe(before);
      // Another tenant may use the same address.
      const other = await tenant();
      await expect(rpc(other.caller, 'CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'C', email })).resolves.toBeDefined();
      // Archiving keeps the reservation.
      await rpc(t.caller, 'ArchiveContact', { contactId: holder.contact!.contactId, expectedVersion: '1' });
      expect((await failure(rpc(t.caller, 'CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'D', email }))).code).toBe(status.ALREADY_EXISTS);
      const archived = await eventually(
        () => query<crmV1.GetContactResponse>(t.caller, 'GetContact', { contactId: holder.contact!.contactId }),
        (r) => r.contact?.archived === true,
        { what: 'the archived contact in the read model' },
      );
      expect(archived.contact).toMatchObject({ email, version: '2', firstName: 'A' });
    });
  });
});
