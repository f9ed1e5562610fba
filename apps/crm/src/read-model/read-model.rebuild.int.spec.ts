import type { MikroORM } from '@mikro-orm/postgresql';
import type { crmV1 } from '@projectflo/contracts';
import type { EventStore } from '@projectflo/platform/core';
import { heldReadAll } from '@projectflo/platform/testing';
import { createOwnerOrm } from '@projectflo/platform/persistence';
import { EVENT_STORE } from '@projectflo/platform/service';
import { CRM_SERVICE_OPTIONS } from '../crm.service-options';
import { call, Caller, type CrmTestApp, eventually, startCrmTestApp } from '../testing/crm-test-app';
import { crmProjections } from './crm-read-model';
import { CRM_READ_MODEL_CHECKPOINT, CRM_READ_MODEL_TABLES, rebuildCrmReadModel } from './read-model.rebuild';

// The crm read model rebuilt from the event store of a running crm instance equals what the live
// consumer built, even after the tables were damaged and while commands keep arriving.

type Snapshot = Record<string, Record<string, unknown>[]>;

describe('crm read-model rebuild (real Postgres, Kafka, Temporal)', () => {
  let app: CrmTestApp;
  let orm: MikroORM;
  let store: EventStore;
  const owner = new Caller();
  const rpc = <R>(method: string, request: object) => call<R>(app.client, method, request, owner.command());
  const handled = crmProjections.flatMap((p) => p.handles);
  let leadId = '';

  /**
   * Every table of the read model, this tenant's rows in a total order. The instance's consumer
   * also projects other instances' events from the shared crm topics (other tenants), which its
   * own event store does not hold; those rows are not this test's business.
   */
  const snapshot = async (): Promise<Snapshot> => {
    const out: Snapshot = {};
    for (const table of CRM_READ_MODEL_TABLES) {
      const { rows } = await app.pool.query(`SELECT t.* FROM "${app.schema}"."${table}" t WHERE t.tenant_id = $1 ORDER BY t::text`, [owner.tenantId]);
      out[table] = rows;
    }
    return out;
  };

  /** Events of the store the consumer has not yet applied (it claims each in the inbox in the applying transaction). */
  const unapplied = async (): Promise<number> => {
    const { rows } = await app.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${app.schema}".events e
       WHERE e.type = ANY($1) AND NOT EXISTS (
         SELECT 1 FROM "${app.schema}".inbox i WHERE i.consumer_group = $2 AND i.event_id = e.event_id::text)`,
      [handled, `${app.schema}.read-model`],
    );
    return rows[0]!.n;
  };
  const caughtUp = () => eventually(unapplied, (n) => n === 0, { what: 'the read-model consumer to apply every stored event', timeoutMs: 60_000 });

  beforeAll(async () => {
    app = await startCrmTestApp();
    orm = await createOwnerOrm(app.schema, CRM_SERVICE_OPTIONS.entities);
    store = app.running.app.get<EventStore>(EVENT_STORE);
  }, 120_000);

  afterAll(async () => {
    await orm?.close();
    await app?.close();
  });

  it('puts back deleted and altered rows, exactly as the live consumer built them', async () => {
    await rpc('RegisterOrganization', { name: 'Rebuild Studio', timezone: 'Europe/Paris', ownerName: 'Studio Owner', ownerEmail: 'owner@studio.example' });
    const ada = (await rpc<crmV1.AddUserResponse>('AddUser', { name: 'Ada', email: 'ada@rebuild.example', role: 'USER_ROLE_ADMIN' })).user!.userId;
    await rpc('AddUser', { name: 'Grace', email: 'grace@rebuild.example', role: 'USER_ROLE_MEMBER' });
    const statuses: string[] = [];
    for (const name of ['New', 'Contacted', 'Booked']) {
      statuses.push((await rpc<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name })).leadStatus!.statusId);
    }
    await rpc('RetireLeadStatus', { statusId: statuses[1], reason: 'unused' });
    const contact = await rpc<crmV1.CreateContactResponse>('CreateContact', {
      type: 'CONTACT_TYPE_CLIENT_LEAD',
      firstName: 'Maya',
      lastName: 'Lin',
      email: 'maya@rebuild.example',
    });
    const lead = await rpc<crmV1.CaptureLeadResponse>('CaptureLead', { contactId: contact.contact!.contactId, eventDate: '2026-09-12', source: 'website' });
    leadId = lead.lead!.leadId;
    await rpc('ChangeLeadStatus', { leadId, toStatusId: statuses[2], reason: 'signed' });
    await rpc('AssignLead', { leadId, assigneeId: ada, reason: 'first owner' });
    await rpc('AddLeadNote', { leadId, body: 'Prefers email', mentions: [ada] });
    await rpc('LogCommunication', {
      leadId,
      type: 'COMMUNICATION_TYPE_CALL',
      direction: 'COMMUNICATION_DIRECTION_OUTBOUND',
      subject: 'intro call',
      status: 'completed',
      occurredAt: { seconds: '1767261600', nanos: 0 },
    });
    await caughtUp();

    const live = await snapshot();
    expect(Object.fromEntries(Object.entries(live).map(([t, rows]) => [t, rows.length]))).toEqual({
      organizations: 1,
      users: 3,
      contacts: 1,
      lead_statuses: 3,
      leads: 1,
      lead_status_history: 2,
      lead_assignments: 1,
      lead_notes: 1,
      communications: 1,
    });

    const s = `"${app.schema}"`;
    await app.pool.query(`DELETE FROM ${s}.lead_notes WHERE tenant_id = $1`, [owner.tenantId]);
    await app.pool.query(`DELETE FROM ${s}.users WHERE tenant_id = $1 AND user_id = $2`, [owner.tenantId, ada]);
    await app.pool.query(`UPDATE ${s}.leads SET venue = 'nowhere', version = version + 100 WHERE lead_id = $1`, [leadId]);
    await app.pool.query(`UPDATE ${s}.lead_statuses SET name = 'garbled' WHERE status_id = $1`, [statuses[0]]);
    expect(await snapshot()).not.toEqual(live);

    const report = await rebuildCrmReadModel({ orm, store, pageSize: 7 });

    expect(await snapshot()).toEqual(live);
    const all = await store.readAll({ limit: 10_000 });
    expect(report.eventsRead).toBe(all.length);
    expect(report.eventsApplied).toBe(all.filter((e) => handled.includes(e.type)).length);
    expect(report.eventsSkipped).toBe(0);
    expect(report.lastPosition).toEqual(all[all.length - 1]!.globalPosition);
    for (const [table, rows] of Object.entries(live)) expect(report.rows[table]).toBeGreaterThanOrEqual(rows.length);
    const { rows: checkpoint } = await app.pool.query(`SELECT commit::text AS commit, prepare::text AS prepare FROM ${s}.projection_checkpoints WHERE name = $1`, [
      CRM_READ_MODEL_CHECKPOINT,
    ]);
    expect(checkpoint).toEqual([report.lastPosition]);
  });

  it('loses and doubles nothing when commands land while it runs', async () => {
    const before = await snapshot();
    const notes = Array.from({ length: 6 }, (_, i) => `note ${i}`);
    // Appended before the rebuild: in the store, maybe not yet applied by the consumer.
    await Promise.all(notes.slice(0, 3).map((body) => rpc('AddLeadNote', { leadId, body })));
    // Readable once no older transaction anywhere in the cluster holds the log's horizon back.
    const noted = (all: readonly { type: string; data: unknown }[], bodies: readonly string[]) =>
      bodies.every((body) => all.some((e) => e.type === 'LeadNoteAdded' && (e.data as { body: string }).body === body));
    const stored = (
      await eventually(
        () => store.readAll({ limit: 10_000 }),
        (all) => noted(all, notes.slice(0, 3)),
        { what: 'the first appends readable' },
      )
    ).length;

    // Hold the rebuild before its first read (its shadow tables made, no transaction open) while more commands append.
    const held = heldReadAll(store);
    const rebuilding = rebuildCrmReadModel({ orm, store: held.store });
    await held.entered;
    await Promise.all(notes.slice(3).map((body) => rpc('AddLeadNote', { leadId, body })));
    // The paused rebuild holds no transaction: the global log (and so every relay) is not held back.
    await eventually(
      () => store.readAll({ limit: 10_000 }),
      (visible) => visible.length === stored + notes.length - 3,
      { what: 'the late appends readable while the rebuild is paused', timeoutMs: 20_000 },
    );
    held.release();
    const report = await rebuilding;
    // No transaction spans the replay, so it reads the late appends as they become visible; any it
    // does not see yet, the consumer brings after the swap.
    expect(report.eventsRead).toBeGreaterThanOrEqual(stored);
    expect(report.eventsRead).toBeLessThanOrEqual(stored + notes.length - 3);
    await caughtUp();

    const live = await snapshot();
    expect(live['lead_notes']!.map((n) => n['body']).sort()).toEqual([...before['lead_notes']!.map((n) => n['body']), ...notes].sort());
    expect(live['leads']![0]!['version']).toBe(Number(before['leads']![0]!['version']) + notes.length);

    await rebuildCrmReadModel({ orm, store });
    expect(await snapshot()).toEqual(live);
  });
});
