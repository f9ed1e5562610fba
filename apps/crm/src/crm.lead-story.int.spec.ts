import { crmTopics, streamName } from '@projectflo/crm/domain';
import type { crmV1 } from '@projectflo/contracts';
import { createOwnerOrm, OrmUnitOfWork, projectEvent, rebuildProjection } from '@projectflo/platform/persistence';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import { EVENT_STORE } from '@projectflo/platform/service';
import type { EventStore } from '@projectflo/platform/core';
import { CRM_SERVICE_OPTIONS } from './crm.service-options';
import { crmProjections } from './read-model/crm-read-model';
import { addUser, call, Caller, eventually, type CrmTestApp, messagesWithKey, startCrmTestApp } from './testing/crm-test-app';

// A lead's whole story through the real service: commands over gRPC, events on Kafka, the read
// model fed by the projection consumer, and the read model equal to a replay of the event store.

describe('crm lead story (real Postgres, Kafka, Temporal)', () => {
  let app: CrmTestApp;
  const owner = new Caller();
  const rpc = <R>(method: string, request: object, headers = owner.command()) => call<R>(app.client, method, request, headers);
  const query = <R>(method: string, request: object) => call<R>(app.client, method, request, owner.query());

  beforeAll(async () => {
    app = await startCrmTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  let leadId = '';
  let ada = '';
  let grace = '';
  const statuses: Record<string, string> = {};

  it('registers the organization and its users', async () => {
    const org = await rpc<crmV1.RegisterOrganizationResponse>('RegisterOrganization', { name: 'Lumen Studio', timezone: 'europe/paris', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' });
    // Registered, and its registering user added as the first owner.
    expect(org.organization).toMatchObject({ organizationId: owner.tenantId, timezone: 'Europe/Paris', version: '2' });
    const a = await rpc<crmV1.AddUserResponse>('AddUser', { name: 'Ada', email: 'Ada@Lumen.example', role: 'USER_ROLE_ADMIN' });
    const g = await rpc<crmV1.AddUserResponse>('AddUser', { name: 'Grace', email: 'grace@lumen.example', role: 'USER_ROLE_MEMBER', timezone: 'Asia/Tokyo' });
    ada = a.user!.userId;
    grace = g.user!.userId;
    expect(a.user).toMatchObject({ email: 'ada@lumen.example', timezone: 'Europe/Paris', role: 'USER_ROLE_ADMIN', active: true });
    expect(g.organizationVersion).toBe('4');
    const read = await eventually(
      () => query<crmV1.GetOrganizationResponse>('GetOrganization', {}),
      (r) => r.users.length === 3,
      { what: 'the organization read model' },
    );
    expect(read.organization).toMatchObject({ name: 'Lumen Studio', version: '4' });
    expect(read.users.map((u) => u.userId).sort()).toEqual([owner.actorId, ada, grace].sort());
    expect(read.users.find((u) => u.userId === owner.actorId)).toMatchObject({ role: 'USER_ROLE_OWNER', active: true, email: 'owner@studio.example' });
  });

  it('defines, renames, reorders and retires lead statuses', async () => {
    for (const name of ['New', 'Contacted', 'Booked', 'Dormant']) {
      const r = await rpc<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name, description: `${name} leads` });
      statuses[name] = r.leadStatus!.statusId;
    }
    const qualified = await rpc<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'Qualified', position: 1 });
    statuses['Qualified'] = qualified.leadStatus!.statusId;
    expect(qualified.leadStatus).toMatchObject({ position: 1, version: '5', retired: false });
    const renamed = await rpc<crmV1.RenameLeadStatusResponse>('RenameLeadStatus', {
      statusId: statuses['Contacted'],
      name: 'In touch',
      expectedVersion: '5',
    });
    expect(renamed.leadStatus).toMatchObject({ name: 'In touch', description: 'Contacted leads', version: '6' });
    const order = ['New', 'Contacted', 'Qualified', 'Booked', 'Dormant'].map((n) => statuses[n]);
    const reordered = await rpc<crmV1.ReorderLeadStatusesResponse>('ReorderLeadStatuses', { statusIds: order });
    expect(reordered.leadStatuses.map((s) => s.statusId)).toEqual(order);
    const retired = await rpc<crmV1.RetireLeadStatusResponse>('RetireLeadStatus', { statusId: statuses['Dormant'], reason: 'unused' });
    expect(retired.leadStatus).toMatchObject({ retired: true, position: -1, version: '8' });

    const listed = await eventually(
      () => query<crmV1.ListLeadStatusesResponse>('ListLeadStatuses', { includeRetired: true }),
      (r) => r.leadStatuses.some((s) => s.retired),
      { what: 'the lead statuses read model' },
    );
    expect(listed.leadStatuses.map((s) => [s.name, s.position, s.retired, s.version])).toEqual([
      ['New', 0, false, '8'],
      ['In touch', 1, false, '8'],
      ['Qualified', 2, false, '8'],
      ['Booked', 3, false, '8'],
      ['Dormant', -1, true, '8'],
    ]);
    const active = await query<crmV1.ListLeadStatusesResponse>('ListLeadStatuses', {});
    expect(active.leadStatuses.map((s) => s.name)).toEqual(['New', 'In touch', 'Qualified', 'Booked']);
  });

  it('captures a lead for a contact, moves it, assigns it, annotates it and archives it', async () => {
    const contact = await rpc<crmV1.CreateContactResponse>('CreateContact', {
      type: 'CONTACT_TYPE_CLIENT_LEAD',
      firstName: 'Maya',
      lastName: 'Lin',
      email: 'maya@example.com',
      company: 'Lin & Co',
    });
    expect(contact.contact).toMatchObject({ type: 'CONTACT_TYPE_CLIENT_LEAD', company: 'Lin & Co', version: '1', archived: false });
    const contactId = contact.contact!.contactId;

    const captured = await rpc<crmV1.CaptureLeadResponse>('CaptureLead', {
      contactId,
      eventDate: '2026-09-12',
      venue: 'Old Mill',
      source: 'website',
      followUpDate: '2026-01-10',
      temperature: 'LEAD_TEMPERATURE_WARM',
      notes: 'wants a summer shoot',
    });
    leadId = captured.lead!.leadId;
    expect(captured.lead).toMatchObject({ statusId: statuses['New'], version: '1', temperature: 'LEAD_TEMPERATURE_WARM', followUpDate: '2026-01-10' });

    const moved = await rpc<crmV1.ChangeLeadStatusResponse>('ChangeLeadStatus', { leadId, toStatusId: statuses['Contacted'], reason: 'called', expectedVersion: '1' });
    expect(moved.lead).toMatchObject({ statusId: statuses['Contacted'], version: '2' });
    await rpc('ChangeLeadStatus', { leadId, toStatusId: statuses['Qualified'], reason: 'budget ok' });
    await rpc('AssignLead', { leadId, assigneeId: ada, reason: 'first owner' });
    const reassigned = await rpc<crmV1.AssignLeadResponse>('AssignLead', { leadId, assigneeId: grace, reason: 'Ada on leave' });
    expect(reassigned.lead).toMatchObject({ assigneeId: grace, version: '5' });
    const note = await rpc<crmV1.AddLeadNoteResponse>('AddLeadNote', { leadId, body: 'Prefers email', mentions: [ada] });
    expect(note).toMatchObject({ leadVersion: '6', note: { body: 'Prefers email', private: false, mentions: [ada], authorId: owner.actorId } });
    const hidden = await addUser(app, owner, 'member');
    await rpc('AddLeadNote', { leadId, body: 'private to someone else', private: true }, hidden.command());
    const logged = await rpc<crmV1.LogCommunicationResponse>('LogCommunication', {
      leadId,
      type: 'COMMUNICATION_TYPE_CALL',
      direction: 'COMMUNICATION_DIRECTION_OUTBOUND',
      subject: 'intro call',
      status: 'completed',
      occurredAt: { seconds: '1767261600', nanos: 0 },
    });
    expect(logged).toMatchObject({ leadVersion: '8', communication: { status: 'Completed', type: 'COMMUNICATION_TYPE_CALL' } });
    const archived = await rpc<crmV1.ArchiveLeadResponse>('ArchiveLead', { leadId, reason: 'booked elsewhere', expectedVersion: '8' });
    expect(archived.lead).toMatchObject({ archived: true, version: '9' });

    const read = await eventually(
      () => query<crmV1.GetLeadResponse>('GetLead', { leadId }),
      (r) => r.lead?.version === '9',
      { what: 'the lead read model at version 9' },
    );
    expect(read.lead).toMatchObject({
      leadId,
      contactId,
      statusId: statuses['Qualified'],
      assigneeId: grace,
      eventDate: '2026-09-12',
      venue: 'Old Mill',
      followUpDate: '2026-01-10',
      notes: 'wants a summer shoot',
      archived: true,
      lastEngagementAt: { seconds: '1767261600', nanos: 0 },
    });
    expect(read.statusHistory.map((c) => [c.fromStatusId, c.toStatusId, c.reason, c.changedBy])).toEqual([
      ['', statuses['New'], '', owner.actorId],
      [statuses['New'], statuses['Contacted'], 'called', owner.actorId],
      [statuses['Contacted'], statuses['Qualified'], 'budget ok', owner.actorId],
    ]);
    expect(read.assignmentHistory.map((a) => [a.previousAssigneeId, a.assigneeId, a.reason])).toEqual([
      ['', ada, 'first owner'],
      [ada, grace, 'Ada on leave'],
    ]);
    // The other user's private note is not shown to this caller.
    expect(read.notes.map((n) => n.body)).toEqual(['Prefers email']);
    expect(read.communications).toHaveLength(1);
    const asAuthor = await call<crmV1.GetLeadResponse>(app.client, 'GetLead', { leadId }, hidden.query());
    expect(asAuthor.notes.map((n) => [n.body, n.private])).toEqual([
      ['private to someone else', true],
      ['Prefers email', false],
    ]);

    const history = await query<crmV1.GetLeadHistoryResponse>('GetLeadHistory', { leadId });
    expect(history.history?.version).toBe('9');
    expect(history.history?.events.map((e) => e.type)).toEqual([
      'LeadCaptured',
      'LeadStatusChanged',
      'LeadStatusChanged',
      'LeadAssigned',
      'LeadAssigned',
      'LeadNoteAdded',
      'LeadNoteAdded',
      'CommunicationLogged',
      'LeadArchived',
    ]);
    expect(history.history?.events[1]).toMatchObject({ streamPosition: '2', actorId: owner.actorId, schemaVersion: 1 });
    expect(JSON.parse(history.history!.events[1].dataJson)).toMatchObject({ fromStatusId: statuses['New'], toStatusId: statuses['Contacted'] });

    const summary = await query<crmV1.GetPipelineSummaryResponse>('GetPipelineSummary', {});
    expect(summary.openLeads).toBe(0);
    expect(summary.stages.map((s) => s.statusName)).toEqual(['New', 'In touch', 'Qualified', 'Booked']);
  });

  it('publishes the lead events on crm.lead.v1, keyed by lead id, with CloudEvents and tenant headers', async () => {
    const messages = await messagesWithKey(app.kafka, crmTopics.lead, leadId, 9);
    const byId = new Map(messages.map((m) => [m.headers!['ce_id']!.toString(), m]));
    const ordered = [...byId.values()].sort((a, b) => Number(a.headers!['ce_streamposition']!.toString()) - Number(b.headers!['ce_streamposition']!.toString()));
    expect(ordered.map((m) => m.headers!['ce_type']!.toString())).toEqual([
      'projectflo.crm.LeadCaptured',
      'projectflo.crm.LeadStatusChanged',
      'projectflo.crm.LeadStatusChanged',
      'projectflo.crm.LeadAssigned',
      'projectflo.crm.LeadAssigned',
      'projectflo.crm.LeadNoteAdded',
      'projectflo.crm.LeadNoteAdded',
      'projectflo.crm.CommunicationLogged',
      'projectflo.crm.LeadArchived',
    ]);
    for (const message of ordered) {
      expect(message.headers!['ce_specversion']!.toString()).toBe('1.0');
      expect(message.headers!['ce_source']!.toString()).toBe('projectflo/crm');
      expect(message.headers!['ce_tenantid']!.toString()).toBe(owner.tenantId);
      expect(message.headers!['ce_subject']!.toString()).toBe(streamName.lead(leadId));
      expect(message.headers!['ce_schemaversion']!.toString()).toBe('1');
    }
    expect(JSON.parse(ordered[1].value!.toString())).toMatchObject({ leadId, toStatusId: statuses['Contacted'] });
  });

  it('rebuilds every projection from the event store into exactly the live read model, and ignores a replay', async () => {
    const tables = crmProjections.flatMap((p) => p.tables);
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of tables) {
        const { rows } = await app.pool.query(`SELECT * FROM "${app.schema}"."${table}" WHERE tenant_id = $1 ORDER BY 1`, [owner.tenantId]);
        out[table] = rows;
      }
      return out;
    };
    const live = await snapshot();
    expect(live['leads']).toHaveLength(1);
    expect(live['lead_statuses']).toHaveLength(5);
    expect(live['lead_notes']).toHaveLength(2);
    const orm = await createOwnerOrm(app.schema, CRM_SERVICE_OPTIONS.entities);
    const store = app.running.app.get<EventStore>(EVENT_STORE);
    try {
      for (const projection of crmProjections) await rebuildProjection({ orm, store, projection });
      expect(await snapshot()).toEqual(live);

      // Replaying every event once more (a redelivery that bypassed the inbox) changes nothing.
      const events = await store.readAll({ limit: 10_000 });
      await new OrmUnitOfWork(orm, CROSS_TENANT).transactional(async (tx) => {
        for (const event of events) for (const projection of crmProjections) await projectEvent(tx, projection, event);
      });
      expect(await snapshot()).toEqual(live);
    } finally {
      await orm.close();
    }
  });
});
