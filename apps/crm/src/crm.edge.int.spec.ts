import { randomUUID } from 'node:crypto';
import { type Client, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { crmV1 } from '@projectflo/contracts';
import { TestIssuer } from '@projectflo/platform/testing';
import { call, Caller, type CrmTestApp, failure, fieldViolations, startCrmTestApp, statusDetails } from './testing/crm-test-app';

// The edge rules of common.proto through the real server: undecodable bodies, tenant id format on
// reads, enums, timestamps and dates in range, a reused request id with other content.

describe('crm edge validation (real gRPC server)', () => {
  let app: CrmTestApp;
  const caller = new Caller();
  const rpc = <R>(method: string, request: object, requestId?: string) => call<R>(app.client, method, request, caller.command(requestId));

  beforeAll(async () => {
    app = await startCrmTestApp();
    await rpc('RegisterOrganization', { name: 'Edge Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' });
    await rpc('DefineLeadStatus', { name: 'New' });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function contact(): Promise<string> {
    const created = await rpc<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'Maya', email: `maya-${randomUUID()}@example.com` });
    return created.contact!.contactId;
  }

  it('answers 12 bytes of 0xff with INVALID_ARGUMENT, not INTERNAL', async () => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(caller.query())) metadata.set(key, value);
    const error = await new Promise<ServiceError | null>((resolve) => {
      (app.client as unknown as Client).makeUnaryRequest(
        '/projectflo.crm.v1.CrmService/GetLead',
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        Buffer.alloc(12, 0xff),
        metadata,
        (err) => resolve(err),
      );
    });
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(statusDetails(error!)?.fieldViolations[0]?.field).toBe('(request)');
  });

  it('refuses a token whose tenant is not a lower-case UUID, on reads too', async () => {
    const token = TestIssuer.shared().token({ tenantId: 'not-a-uuid', userId: 'user-1' });
    const error = await failure(call(app.client, 'ListLeadStatuses', {}, TestIssuer.bearer(token)));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.details).toContain('tenant_id');
  });

  it('refuses an unknown enum number instead of storing another value', async () => {
    const contactId = await contact();
    const error = await failure(rpc('CaptureLead', { contactId, source: 'web', temperature: 9 }));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(fieldViolations(error)).toEqual(['temperature']);
  });

  it('refuses impossible dates and timestamps out of range, naming the field', async () => {
    const contactId = await contact();
    const dated = await failure(rpc('CaptureLead', { contactId, source: 'web', eventDate: '2024-02-30' }));
    expect(fieldViolations(dated)).toEqual(['event_date']);
    const lead = (await rpc<crmV1.CaptureLeadResponse>('CaptureLead', { contactId, source: 'web' })).lead!;
    const base = { leadId: lead.leadId, type: 'COMMUNICATION_TYPE_CALL', direction: 'COMMUNICATION_DIRECTION_OUTBOUND' };
    const nanos = await failure(rpc('LogCommunication', { ...base, occurredAt: { seconds: '0', nanos: 1_000_000_000 } }));
    expect(nanos.code).toBe(status.INVALID_ARGUMENT);
    expect(fieldViolations(nanos)).toEqual(['occurred_at.nanos']);
    const future = await failure(rpc('LogCommunication', { ...base, occurredAt: { seconds: '300000000000', nanos: 0 } }));
    expect(fieldViolations(future)).toEqual(['occurred_at.seconds']);
  });

  it('answers a reused x-request-id with different content ALREADY_EXISTS, and the same content with the first result', async () => {
    const contactId = await contact();
    const requestId = randomUUID();
    const first = await rpc<crmV1.CaptureLeadResponse>('CaptureLead', { contactId, source: 'web' }, requestId);
    expect(await rpc<crmV1.CaptureLeadResponse>('CaptureLead', { contactId, source: 'web' }, requestId)).toEqual(first);
    const reused = await failure(rpc('CaptureLead', { contactId, source: 'referral' }, requestId));
    expect(reused.code).toBe(status.ALREADY_EXISTS);
    expect(reused.details).toContain('already used for a different request');
  });

  it('refuses U+0000 in any string field, commands and query filters alike, naming the field', async () => {
    const company = await failure(rpc('CreateContact', { type: 'CONTACT_TYPE_CLIENT', firstName: 'Maya', email: `m-${randomUUID()}@example.com`, company: 'a\u0000b' }));
    expect(company.code).toBe(status.INVALID_ARGUMENT);
    expect(statusDetails(company)?.fieldViolations).toEqual([{ field: 'company', description: 'must not contain the character U+0000 (NUL)' }]);
    expect(fieldViolations(await failure(rpc('DefineLeadStatus', { name: 'New\u0000', description: '\u0000' })))).toEqual(['name', 'description']);
    const lead = await failure(call(app.client, 'ListLeads', { statusId: 'id\u0000x' }, caller.query()));
    expect(lead.code).toBe(status.INVALID_ARGUMENT);
    expect(fieldViolations(lead)).toEqual(['status_id']);
  });

  it('answers a change to the status the lead is in FAILED_PRECONDITION, while a replay of the request that moved it returns its result', async () => {
    const contacted = (await rpc<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: `Contacted ${randomUUID()}` })).leadStatus!.statusId;
    const lead = (await rpc<crmV1.CaptureLeadResponse>('CaptureLead', { contactId: await contact(), source: 'web' })).lead!;
    const requestId = randomUUID();
    const moved = await rpc<crmV1.ChangeLeadStatusResponse>('ChangeLeadStatus', { leadId: lead.leadId, toStatusId: contacted }, requestId);
    expect(moved.lead).toMatchObject({ statusId: contacted, version: '2' });
    const again = await failure(rpc('ChangeLeadStatus', { leadId: lead.leadId, toStatusId: contacted }));
    expect(again.code).toBe(status.FAILED_PRECONDITION);
    expect(again.details).toBe(`lead ${lead.leadId} is already in status ${contacted}`);
    expect(await rpc<crmV1.ChangeLeadStatusResponse>('ChangeLeadStatus', { leadId: lead.leadId, toStatusId: contacted }, requestId)).toEqual(moved);
  });

  it('serves at most 200 items per page and treats 0 as 50', async () => {
    const page = await call<crmV1.ListLeadsResponse>(app.client, 'ListLeads', { page: { pageSize: 5000, pageToken: '' } }, caller.query());
    expect(page.leads!.length).toBeLessThanOrEqual(200);
    const negative = await failure(call(app.client, 'ListLeads', { page: { pageSize: -1, pageToken: '' } }, caller.query()));
    expect(fieldViolations(negative)).toEqual(['page.page_size']);
  });
});
