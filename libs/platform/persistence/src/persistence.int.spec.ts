import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { compareGlobalPositions, type GlobalPosition, type ReadAllOptions, type RecordedEvent } from '@projectflo/platform/core';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import { claimInboxEntry, ensureInbox } from '@projectflo/platform/messaging';
import {
  createOrm,
  databaseUrlFromEnv,
  developmentServiceDatabaseUrl,
  loadCheckpoint,
  migrateUp,
  migrationsApplied,
  OrmUnitOfWork,
  pendingMigrations,
  projectEvent,
  rebuildProjection,
  secureServiceSchema,
  withTenantScope,
} from './index';
import { LeadViewSchema, leadViewProjection, type LeadView } from './test-fixtures/lead-view.entity';

const url = databaseUrlFromEnv();
const runId = randomUUID().slice(0, 8);
const schema = `it_persistence_${runId}`;
const applicationName = `it-persistence-${runId}`;
const migrationsPath = `${__dirname}/test-fixtures/migrations`;

/** An array-backed global log, enough to drive a rebuild in commit order and in pages. */
class ArrayEventLog {
  readonly events: RecordedEvent[] = [];
  append(streamName: string, type: string, data: unknown, tenantId: string): RecordedEvent {
    const streamPosition = this.events.filter((e) => e.streamName === streamName).length + 1;
    const n = String(this.events.length + 1);
    const event: RecordedEvent = {
      eventId: randomUUID(),
      type,
      data,
      schemaVersion: 1,
      streamName,
      streamPosition,
      globalPosition: { commit: n, prepare: n },
      recordedAt: '2025-11-22T00:00:00.000Z',
      metadata: {
        tenantId,
        actorId: 'user-1',
        requestId: randomUUID(),
        correlationId: 'c',
        causationId: 'c',
        occurredAt: '2025-11-22T00:00:00.000Z',
      },
    };
    this.events.push(event);
    return event;
  }
  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after: GlobalPosition | undefined = options.after;
    return this.events.filter((e) => !after || compareGlobalPositions(e.globalPosition, after) > 0).slice(0, options.limit);
  }
}

async function rows(orm: MikroORM): Promise<LeadView[]> {
  const em = orm.em.fork();
  const found = await em.find(LeadViewSchema, {}, { orderBy: { id: 'asc' } });
  return found.map((l) => ({ id: l.id, tenantId: l.tenantId, name: l.name, status: l.status, version: l.version }));
}

describe('platform/persistence against PostgreSQL', () => {
  let orm: MikroORM;
  let admin: Client;
  const log = new ArrayEventLog();

  beforeAll(async () => {
    admin = new Client({ connectionString: url });
    await admin.connect();
    orm = await createOrm({ url, schema, entities: [LeadViewSchema], migrationsPath, migrator: true, applicationName, pool: { min: 2, max: 4 } });
  });

  afterAll(async () => {
    await orm?.close(true);
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  it('applies the committed migrations once, into the service schema', async () => {
    expect(await migrationsApplied(admin, schema, migrationsPath)).toBe(false);
    expect(await pendingMigrations(orm)).toEqual(['Migration20251122000000_lead_views']);
    expect(await migrateUp(orm)).toEqual(['Migration20251122000000_lead_views']);
    expect(await migrationsApplied(admin, schema, migrationsPath)).toBe(true);
    expect(await migrateUp(orm)).toEqual([]);
    // A folder with one more migration than the table records is not up to date.
    const withNewer = mkdtempSync(join(tmpdir(), 'pf-migrations-'));
    try {
      for (const file of readdirSync(migrationsPath)) copyFileSync(join(migrationsPath, file), join(withNewer, file));
      writeFileSync(join(withNewer, 'Migration20990101000000_later.ts'), '');
      expect(await migrationsApplied(admin, schema, withNewer)).toBe(false);
    } finally {
      rmSync(withNewer, { recursive: true, force: true });
    }
    const tables = await admin.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['lead_views', 'mikro_orm_migrations', 'projection_checkpoints']);
  });

  it('commits the inbox claim and the read-model change in one transaction, and rolls both back together', async () => {
    const uow = new OrmUnitOfWork(orm, CROSS_TENANT);
    await uow.transactional((tx) => ensureInbox(tx, schema));
    const consume = (event: RecordedEvent, fail = false) =>
      uow.transactional(async (tx) => {
        const claimed = await claimInboxEntry(tx, schema, {
          consumerGroup: 'lead-views',
          eventId: event.eventId,
          eventType: event.type,
          topic: 'crm.lead',
          partition: 0,
          offset: event.globalPosition.prepare,
        });
        if (!claimed) return false;
        await projectEvent(tx, leadViewProjection, event);
        if (fail) throw new Error('handler failed after projecting');
        return true;
      });

    const a1 = log.append('lead-a1', 'LeadCreated', { leadId: 'a1', name: 'Wedding A' }, 'tenant-a');
    const b1 = log.append('lead-b1', 'LeadCreated', { leadId: 'b1', name: 'Portrait B' }, 'tenant-b');
    const a1Status = log.append('lead-a1', 'LeadStatusChanged', { leadId: 'a1', status: 'qualified' }, 'tenant-a');
    const a2 = log.append('lead-a2', 'LeadCreated', { leadId: 'a2', name: 'Gala A' }, 'tenant-a');
    log.append('lead-a2', 'LeadNoteAdded', { leadId: 'a2', note: 'ignored by this projection' }, 'tenant-a');

    expect(await consume(a1)).toBe(true);
    expect(await consume(a1)).toBe(false);
    expect(await consume(b1)).toBe(true);
    await expect(consume(a1Status, true)).rejects.toThrow('handler failed after projecting');
    expect((await rows(orm)).find((r) => r.id === 'a1')?.status).toBe('new');
    expect(await consume(a1Status)).toBe(true);
    expect(await consume(a2)).toBe(true);

    const inbox = await admin.query(`SELECT event_id FROM "${schema}".inbox`);
    expect(inbox.rowCount).toBe(4);
    expect((await rows(orm)).find((r) => r.id === 'a1')).toEqual({ id: 'a1', tenantId: 'tenant-a', name: 'Wedding A', status: 'qualified', version: 2 });
  });

  it('rebuilds the projection from the event store to the same rows', async () => {
    const before = await rows(orm);
    await admin.query(`UPDATE "${schema}".lead_views SET status = 'corrupted'`);
    await admin.query(`INSERT INTO "${schema}".lead_views VALUES ('stray', 'tenant-a', 'Stray', 'new', 1)`);

    const result = await rebuildProjection({ orm, store: log, projection: leadViewProjection, pageSize: 2 });

    expect(result).toEqual({ eventsRead: 5, eventsApplied: 4, eventsSkipped: 0, lastPosition: { commit: '5', prepare: '5' } });
    expect(await rows(orm)).toEqual(before);
    const checkpoint = await new OrmUnitOfWork(orm, CROSS_TENANT).transactional((tx) => loadCheckpoint(tx, schema, 'lead-views'));
    expect(checkpoint).toEqual({ commit: '5', prepare: '5' });
  });

  it('leaves the read model untouched when a rebuild fails midway', async () => {
    const before = await rows(orm);
    const failing = { ...leadViewProjection, apply: async () => Promise.reject(new Error('bad event')) };
    await expect(rebuildProjection({ orm, store: log, projection: failing })).rejects.toThrow('bad event');
    expect(await rows(orm)).toEqual(before);
  });

  it("scopes a service login role's reads to the caller's tenant, even when it asks for another tenant's ids", async () => {
    const owner = new Pool({ connectionString: url, max: 1 });
    await secureServiceSchema(owner, schema, 'pf_crm').finally(() => owner.end());
    const service = await createOrm({ url: developmentServiceDatabaseUrl('crm', url), schema, entities: [LeadViewSchema] });
    try {
      await expectTenantScopedReads(service);
    } finally {
      await service.close(true);
    }
  });

  async function expectTenantScopedReads(orm: MikroORM): Promise<void> {
    const asA = await withTenantScope(orm, 'tenant-a', async (tx) => {
      const all = await tx.em.find(LeadViewSchema, {}, { orderBy: { id: 'asc' } });
      const bById = await tx.em.findOne(LeadViewSchema, { id: 'b1' });
      const bRaw = await tx.query(`SELECT id FROM "${schema}".lead_views WHERE tenant_id = $1`, ['tenant-b']);
      return { ids: all.map((l) => l.id), bById, bRaw };
    });
    expect(asA).toEqual({ ids: ['a1', 'a2'], bById: null, bRaw: [] });

    const asB = await withTenantScope(orm, 'tenant-b', (tx) => tx.query<{ id: string }>(`SELECT id FROM "${schema}".lead_views`));
    expect(asB.map((r) => r.id)).toEqual(['b1']);
    await expect(
      withTenantScope(orm, 'tenant-b', (tx) => tx.query(`UPDATE "${schema}".lead_views SET status = 'x'`)),
    ).rejects.toThrow(/read-only transaction/);

    // Unscoped, the login role sees no tenant's rows; the cross-tenant scope (projector, rebuild) sees them all.
    expect(await rows(orm)).toEqual([]);
    const all = await new OrmUnitOfWork(orm, CROSS_TENANT).transactional((tx) => tx.query<{ id: string }>(`SELECT id FROM "${schema}".lead_views ORDER BY id`));
    expect(all.map((r) => r.id)).toEqual(['a1', 'a2', 'b1']);
  }

  it('replaces pooled connections that the server terminated', async () => {
    await Promise.all([rows(orm), rows(orm)]);
    const terminated = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    expect(terminated.rows.length).toBeGreaterThan(0);
    expect(terminated.rows.every((r) => r.terminated)).toBe(true);
    // Let the clients receive the termination notice before the pool hands them out again.
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect((await rows(orm)).map((r) => r.id)).toEqual(['a1', 'a2', 'b1']);
    const written = await new OrmUnitOfWork(orm, CROSS_TENANT).transactional(async (tx) => {
      await projectEvent(tx, leadViewProjection, log.append('lead-a3', 'LeadCreated', { leadId: 'a3', name: 'Launch A' }, 'tenant-a'));
      return tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}".lead_views`);
    });
    expect(written[0]?.n).toBe('4');
  });
});
