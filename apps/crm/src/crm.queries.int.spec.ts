import { randomUUID } from 'node:crypto';
import type { crmV1 } from '@projectflo/contracts';
import { call, Caller, eventually, type CrmTestApp, startCrmTestApp } from './testing/crm-test-app';

// ListLeads filters and keyset paging, and the pipeline summary, over the projected read model.

describe('crm lead queries (real Postgres, Kafka, Temporal)', () => {
  let app: CrmTestApp;
  const caller = new Caller();
  const rpc = <R>(method: string, request: object) => call<R>(app.client, method, request, caller.command());
  const query = <R>(method: string, request: object) => call<R>(app.client, method, request, caller.query());
  const statuses: Record<string, string> = {};
  let userId = '';
  const leads: crmV1.Lead[] = [];

  beforeAll(async () => {
    app = await startCrmTestApp();
    await rpc('RegisterOrganization', { name: 'Board Studio', timezone: 'UTC', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' });
    userId = (await rpc<crmV1.AddUserResponse>('AddUser', { name: 'Sam', email: 'sam@board.example', role: 'USER_ROLE_OWNER' })).user!.userId;
    for (const name of ['New', 'Proposal', 'Legacy']) {
      statuses[name] = (await rpc<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name })).leadStatus!.statusId;
    }
    const contactId = (
      await rpc<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Pat', email: `pat-${randomUUID()}@example.com` })
    ).contact!.contactId;
    const plan: [string, string, string | undefined][] = [
      ['2026-01-05', 'New', undefined],
      ['2026-01-10', 'New', userId],
      ['2026-01-15', 'Legacy', undefined],
      ['2026-01-20', 'Proposal', userId],
      ['', 'New', undefined],
      ['2026-02-01', 'Legacy', userId],
      ['2026-01-12', 'New', undefined],
    ];
    for (const [followUpDate, status, assigneeId] of plan) {
      const lead = await rpc<crmV1.CaptureLeadResponse>('CaptureLead', {
        contactId,
        source: 'web',
        followUpDate,
        statusId: statuses[status],
        ...(assigneeId ? { assigneeId } : {}),
      });
      leads.push(lead.lead!);
    }
    await rpc('ArchiveLead', { leadId: leads[6].leadId });
    // A retired status keeps its leads on the board until they move on.
    await rpc('RetireLeadStatus', { statusId: statuses['Legacy'] });
    await eventually(
      () => query<crmV1.ListLeadsResponse>('ListLeads', { includeArchived: true }),
      (r) => r.leads.length === 7 && r.leads.some((l) => l.archived),
      { what: 'all seven leads in the read model' },
    );
    await eventually(
      () => query<crmV1.ListLeadStatusesResponse>('ListLeadStatuses', { includeRetired: true }),
      (r) => r.leadStatuses.some((s) => s.retired),
      { what: 'the retired status in the read model' },
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('pages newest first with a stable keyset, never skipping or repeating a lead', async () => {
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await query<crmV1.ListLeadsResponse>('ListLeads', { page: { pageSize: 2, pageToken: token } });
      expect(page.leads.length).toBeLessThanOrEqual(2);
      seen.push(...page.leads.map((l) => l.leadId));
      token = page.page?.nextPageToken ?? '';
      pages++;
    } while (token !== '' && pages < 10);
    const open = leads.filter((_, i) => i !== 6);
    const expected = [...open]
      .sort((a, b) => Number(b.capturedAt!.seconds) * 1e3 + b.capturedAt!.nanos / 1e6 - (Number(a.capturedAt!.seconds) * 1e3 + a.capturedAt!.nanos / 1e6) || (b.leadId < a.leadId ? -1 : 1))
      .map((l) => l.leadId);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it('filters by status, assignee and follow-up window', async () => {
    const ids = async (request: object) => (await query<crmV1.ListLeadsResponse>('ListLeads', request)).leads.map((l) => l.leadId).sort();
    const pick = (...i: number[]) => i.map((n) => leads[n].leadId).sort();
    expect(await ids({ statusId: statuses['New'] })).toEqual(pick(0, 1, 4));
    expect(await ids({ statusId: statuses['New'], includeArchived: true })).toEqual(pick(0, 1, 4, 6));
    expect(await ids({ assigneeId: userId })).toEqual(pick(1, 3, 5));
    expect(await ids({ followUpFrom: '2026-01-10', followUpTo: '2026-01-20' })).toEqual(pick(1, 2));
    expect(await ids({ followUpTo: '2026-01-11', assigneeId: userId })).toEqual(pick(1));
  });

  it('summarises open leads per status in pipeline order, keeping a retired status that still holds leads', async () => {
    const summary = await query<crmV1.GetPipelineSummaryResponse>('GetPipelineSummary', {});
    expect(summary.stages.map((s) => [s.statusName, s.position, s.retired, s.leadCount])).toEqual([
      ['New', 0, false, 3],
      ['Proposal', 1, false, 1],
      ['Legacy', -1, true, 2],
    ]);
    expect(summary.openLeads).toBe(6);
  });
});
