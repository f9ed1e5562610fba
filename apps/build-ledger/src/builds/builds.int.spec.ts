import { randomBytes, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, type ledgerBuildsV1, type ledgerCatalogV1, ledgerBuildEventsV1, PROTO_ROOT } from '@projectflo/contracts';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import type { EventStore } from '@projectflo/platform/core';
import { createOwnerOrm, databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { EVENT_STORE } from '@projectflo/platform/service';
import { Caller, eventually, failedCall, freePort, relayedEvent, TestTopics, waitForActiveMember } from '@projectflo/platform/testing';
import { BuildLedgerAppModule } from '../app.module';
import { BUILD_READ_MODEL_ENTITIES, BUILD_READ_MODEL_TABLES, rebuildBuildReadModel } from '../read-model/read-model.rebuild';

// Catalog, builds and change orders against real Postgres and Kafka: build-ledger in-process on
// its own schema, topics and task queue; callers enrolled the way crm's organization events enrol
// them. Commands reply with the read model's fold; the read model follows from Kafka; BuildBooked
// is read back from ledger.build.v1.

const DATABASE_URL = databaseUrlFromEnv();
const run = randomBytes(4).toString('hex');
const schema = `bl_build_${run}`;
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const U = randomUUID();
const manager = new Caller(T, randomUUID(), ['manager']);
const member = new Caller(T, randomUUID(), ['member']);
const outsider = new Caller(U, randomUUID(), ['owner']);
const usd = (amount: string) => ({ currency: 'USD', amount });

/** Reads a topic from the beginning with a throwaway group until a message matches. */
async function readUntil(kafka: Kafka, topic: string, match: (message: KafkaMessage) => boolean): Promise<KafkaMessage> {
  const consumer = kafka.consumer({ groupId: `bl-it-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    let found: KafkaMessage | undefined;
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (match(message)) found ??= message;
      },
    });
    return (await eventually(async () => found, (m) => m !== undefined, { what: `a matching message on ${topic}`, timeoutMs: 45_000 }))!;
  } finally {
    await consumer.disconnect();
  }
}

describe('catalog, builds and change orders (integration)', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let kafka: Kafka;
  let producer: Producer;
  let pool: Pool;
  const ids: Record<string, string> = {};

  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client, method, request, headers);
  const upsert = (request: object, caller = manager) => call<ledgerCatalogV1.UpsertCatalogItemResponse>('UpsertCatalogItem', request, caller.command());
  const waitUntil = <V>(what: string, probe: () => Promise<V>, holds: (value: V) => boolean) => eventually(probe, holds, { what, timeoutMs: 45_000, intervalMs: 200 });
  const getBuild = (caller = member) => call<ledgerBuildsV1.GetBuildResponse>('GetBuild', { buildId: ids['build'] }, caller.query());
  const code = async (pending: Promise<unknown>) => (await failedCall(pending)).code;

  beforeAll(async () => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    kafka = topics.client(`bl-build-${run}`);
    producer = kafka.producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('build-ledger'),
      appModule: BuildLedgerAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `bl-build-${run}`, LOG_LEVEL: 'warn' },
    });
    const contract = GRPC_CONTRACTS['build-ledger'];
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    const members: [Caller, crmOrganizationEventsV1.UserRoleV1][] = [[manager, 'Manager'], [member, 'Member'], [outsider, 'Owner']];
    for (const [caller, role] of members) {
      const added = crmOrganizationEventsV1.userAddedV1(caller.tenantId, caller.actorId, role, new Date().toISOString());
      await producer.send({ topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, messages: [relayedEvent('crm', `organization-${caller.tenantId}`, caller.tenantId, 'UserAdded', added)] });
    }
    for (const [caller, role] of members) await waitForActiveMember(running, caller.tenantId, caller.actorId, role);
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(['user-directory', 'read-model'].map((purpose) => `${schema}.${purpose}`));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  }, 60_000);

  it('keeps a catalog: items by kind, names unique, money exact, read back from the read model', async () => {
    ids['ceremony'] = (await upsert({ name: 'Ceremony', coverageScene: {} })).item!.itemId;
    ids['colour'] = (await upsert({ name: 'Colour grading', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_FIXED', price: usd('250.00'), category: 'post', active: true } })).item!.itemId;
    ids['usb'] = (await upsert({ name: 'USB keepsake', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_PER_UNIT', price: usd('19.99'), category: '', active: true } })).item!.itemId;
    ids['cinematic'] = (await upsert({ name: 'Cinematic', editingStyle: { ratePerMinute: usd('12.50'), requirements: [{ billableItemId: ids['colour'], quantity: '1' }] } })).item!.itemId;
    ids['videographer'] = (await upsert({ name: 'Videographer', operatorType: { pricing: 'OPERATOR_PRICING_HOURLY', rate: usd('95.00') } })).item!.itemId;
    const film = await upsert({
      name: 'Highlight film',
      deliverable: { price: usd('1200.00'), defaultComponents: [{ sceneId: ids['ceremony'], editingStyleId: ids['cinematic'], targetMinutes: 4, included: true }] },
    });
    ids['film'] = film.item!.itemId;
    expect(film.item).toMatchObject({ kind: 'CATALOG_ITEM_KIND_DELIVERABLE', name: 'Highlight film', deliverable: { price: usd('1200.00') }, retired: false });

    const duplicate = await failedCall(upsert({ name: ' ceremony ', coverageScene: {} }));
    expect([duplicate.code, duplicate.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('name')]);
    const precise = await failedCall(upsert({ name: 'Album', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_FIXED', price: usd('89.999'), active: true } }));
    expect([precise.code, precise.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('billable_item.price')]);
    expect(await code(upsert({ name: 'Sneaky', coverageScene: {} }, member))).toBe(status.PERMISSION_DENIED);
    expect(await code(call('RetireCatalogItem', { itemId: ids['cinematic'], kind: 'CATALOG_ITEM_KIND_EDITING_STYLE' }, manager.command()))).toBe(status.FAILED_PRECONDITION);

    const listed = await waitUntil(
      'six catalog items in the read model',
      () => call<ledgerCatalogV1.ListCatalogItemsResponse>('ListCatalogItems', {}, member.query()),
      (r) => r.items.length === 6,
    );
    // By kind (as the domain spells it: billable_item, coverage_scene, deliverable, editing_style, operator_type), then name.
    expect(listed.items.map((i) => i.name)).toEqual(['Colour grading', 'USB keepsake', 'Ceremony', 'Highlight film', 'Cinematic', 'Videographer']);
    const outsiders = await call<ledgerCatalogV1.ListCatalogItemsResponse>('ListCatalogItems', {}, outsider.query());
    expect(outsiders.items).toEqual([]);
  });

  it('prices a build from the catalog, explains every line, and writes nothing for a bad change', async () => {
    const created = await call<ledgerBuildsV1.CreateBuildResponse>('CreateBuild', { leadId: 'lead-7', name: 'Ana & Ben', currency: 'USD', eventDate: '2027-09-12' }, manager.command());
    ids['build'] = created.build!.buildId;
    expect(created.build).toMatchObject({ status: 'BUILD_STATUS_INQUIRY', configurationVersion: 1, livePrice: usd('0.00'), version: '1' });

    const refused = await failedCall(
      call(
        'ConfigureBuild',
        {
          buildId: ids['build'],
          changes: [{ addDeliverable: { deliverableId: ids['film'] } }, { addBillableItem: { billableItemId: ids['usb'], quantity: '-2', notes: '' } }],
        },
        manager.command(),
      ),
    );
    expect([refused.code, refused.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('changes[1].add_billable_item.quantity')]);
    const unknown = await failedCall(call('ConfigureBuild', { buildId: ids['build'], changes: [{ addDeliverable: { deliverableId: randomUUID() } }] }, manager.command()));
    expect(unknown.code).toBe(status.NOT_FOUND);

    const configured = await call<ledgerBuildsV1.ConfigureBuildResponse>(
      'ConfigureBuild',
      {
        buildId: ids['build'],
        changes: [
          { addCoverage: { sceneId: ids['ceremony'], operatorTypeId: ids['videographer'], quantity: 2, hours: '8' } },
          { addDeliverable: { deliverableId: ids['film'] } },
          { addBillableItem: { billableItemId: ids['usb'], quantity: '1.5', notes: 'for the parents' } },
        ],
        expectedVersion: '1',
      },
      manager.command(),
    );
    // 2 × 8 h × 95.00 + 1200.00 + 4 min × 12.50 + 250.00 (Cinematic needs colour grading) + 1.5 × 19.99 (29.985 → 29.99)
    expect(configured.build).toMatchObject({ livePrice: usd('3049.99'), version: '2' });
    expect(configured.build!.configuration!.billableItems.map((i) => [i.name, i.quantity, i.requiredByEditingStyleId])).toEqual([
      ['Colour grading', '1', ids['cinematic']],
      ['USB keepsake', '1.5', ''],
    ]);

    await waitUntil('the configured build in the read model', () => getBuild(), (r) => r.build?.version === '2');
    const breakdown = await call<ledgerBuildsV1.GetBuildPriceBreakdownResponse>('GetBuildPriceBreakdown', { buildId: ids['build'] }, member.query());
    expect(breakdown.breakdown!.lines.map((l) => [l.kind, l.amount?.amount, l.explanation])).toEqual([
      ['PRICE_LINE_KIND_COVERAGE', '1520.00', '2 × 8 h at 95.00 USD per hour'],
      ['PRICE_LINE_KIND_DELIVERABLE', '1200.00', 'base price 1200.00 USD'],
      ['PRICE_LINE_KIND_COMPONENT', '50.00', '4 min at 12.50 USD per minute'],
      ['PRICE_LINE_KIND_BILLABLE_ITEM', '250.00', '1 × 250.00 USD (required by an editing style)'],
      ['PRICE_LINE_KIND_BILLABLE_ITEM', '29.99', '1.5 × 19.99 USD per unit'],
    ]);
    expect(breakdown.breakdown!.total).toEqual(usd('3049.99'));
    // Retiring an item the build used keeps the build as it was.
    await call('RetireCatalogItem', { itemId: ids['usb'], kind: 'CATALOG_ITEM_KIND_BILLABLE_ITEM' }, manager.command());
    expect((await getBuild()).build!.livePrice).toEqual(usd('3049.99'));
    expect(await code(call('GetBuild', { buildId: ids['build'] }, outsider.query()))).toBe(status.NOT_FOUND);
  });

  it('approves, books (BuildBooked reaches ledger.build.v1), and changes the booking only by change orders with snapshots', async () => {
    const approved = await call<ledgerBuildsV1.ApproveBuildResponse>('ApproveBuild', { buildId: ids['build'] }, manager.command());
    expect(approved.build).toMatchObject({ configurationLocked: true, approvedPrice: usd('3049.99') });
    expect(await code(call('ConfigureBuild', { buildId: ids['build'], changes: [{ addDeliverable: { deliverableId: ids['film'] } }] }, manager.command()))).toBe(status.FAILED_PRECONDITION);

    const booked = await call<ledgerBuildsV1.BookBuildResponse>('BookBuild', { buildId: ids['build'] }, manager.command());
    expect(booked.build!.status).toBe('BUILD_STATUS_BOOKED');
    const message = await readUntil(kafka, ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1, (m) => m.key?.toString() === ids['build'] && String(m.headers?.['ce_type']).endsWith('.BuildBooked'));
    const payload = ledgerBuildEventsV1.BuildBookedV1.parse(JSON.parse(message.value!.toString()));
    expect(payload).toMatchObject({ tenantId: T, buildId: ids['build'], version: 1, leadId: 'lead-7', eventDate: '2027-09-12', approvedTotal: { amountMinor: 304_999, currency: 'USD' } });
    expect(payload.components.map((c) => [c.deliverableName, c.sceneName, c.editingStyleName, c.targetMinutes])).toEqual([['Highlight film', 'Ceremony', 'Cinematic', 4]]);
    expect(payload.coverage.map((c) => [c.operatorTypeName, c.quantity, c.hours])).toEqual([['Videographer', 2, '8']]);

    const coverageLine = booked.build!.configuration!.coverage[0]!.lineId;
    const propose = (baseVersion: number, discount: object | undefined, requestId?: string) =>
      call<ledgerBuildsV1.ProposeChangeOrderResponse>(
        'ProposeChangeOrder',
        { buildId: ids['build'], baseVersion, description: 'One videographer fewer', changes: [{ removeCoverage: { lineId: coverageLine } }], ...(discount ? { discount } : {}) },
        manager.command(requestId),
      );
    const tooMuch = await failedCall(propose(1, { kind: 'DISCOUNT_KIND_FIXED', amount: usd('1600.00'), reason: 'goodwill' }));
    expect([tooMuch.code, tooMuch.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('discount')]);
    const proposed = await propose(1, { kind: 'DISCOUNT_KIND_PERCENT', percent: '10', reason: 'loyal client' });
    // 3049.99 − 1520.00 = 1529.99; 10 % = 153.00 (152.999 → 153.00); new total 1376.99
    expect(proposed.changeOrder).toMatchObject({
      version: 2,
      status: 'CHANGE_ORDER_STATUS_PENDING_APPROVAL',
      priceDelta: usd('-1520.00'),
      discount: { amount: usd('153.00'), reason: 'loyal client' },
      newApprovedTotal: usd('1376.99'),
      removedLineIds: [coverageLine],
    });
    const rival = await propose(1, undefined);
    const approvedCo = await call<ledgerBuildsV1.ApproveChangeOrderResponse>('ApproveChangeOrder', { buildId: ids['build'], changeOrderId: proposed.changeOrder!.changeOrderId }, manager.command());
    expect(approvedCo.build).toMatchObject({ configurationVersion: 2, approvedPrice: usd('1376.99'), livePrice: usd('1376.99') });
    // Both were written against version 1: the second is now stale.
    expect(await code(call('ApproveChangeOrder', { buildId: ids['build'], changeOrderId: rival.changeOrder!.changeOrderId }, manager.command()))).toBe(status.ABORTED);
    expect(await code(propose(1, undefined))).toBe(status.ABORTED);

    await waitUntil('version 2 in the read model', () => getBuild(), (r) => r.build?.configurationVersion === 2);
    const v1 = await call<ledgerBuildsV1.GetBuildSnapshotResponse>('GetBuildSnapshot', { buildId: ids['build'], version: 1 }, member.query());
    const v2 = await call<ledgerBuildsV1.GetBuildSnapshotResponse>('GetBuildSnapshot', { buildId: ids['build'], version: 2 }, member.query());
    expect([v1.snapshot!.approvedTotal, v1.snapshot!.configuration!.coverage.length]).toEqual([usd('3049.99'), 1]);
    expect([v2.snapshot!.approvedTotal, v2.snapshot!.configuration!.coverage.length, v2.snapshot!.discounts.map((d) => d.amount)]).toEqual([usd('1376.99'), 0, [usd('153.00')]]);
    expect(await code(call('GetBuildSnapshot', { buildId: ids['build'], version: 3 }, member.query()))).toBe(status.NOT_FOUND);
    const orders = await call<ledgerBuildsV1.ListChangeOrdersResponse>('ListChangeOrders', { buildId: ids['build'] }, member.query());
    expect(orders.changeOrders.map((c) => c.status).sort()).toEqual(['CHANGE_ORDER_STATUS_APPROVED', 'CHANGE_ORDER_STATUS_PENDING_APPROVAL']);
    const history = await call<ledgerBuildsV1.GetBuildHistoryResponse>('GetBuildHistory', { buildId: ids['build'] }, member.query());
    expect(history.history!.events.map((e) => e.type)).toEqual(['BuildCreated', 'BuildConfigured', 'BuildApproved', 'BuildBooked', 'ChangeOrderProposed', 'ChangeOrderProposed', 'ChangeOrderApproved', 'BuildBooked']);
    // The approved change order booked the build again at version 2, without the removed coverage.
    const rebooked = await readUntil(kafka, ledgerBuildEventsV1.LEDGER_BUILD_TOPIC_V1, (m) => m.key?.toString() === ids['build'] && String(m.headers?.['ce_type']).endsWith('.BuildBooked') && JSON.parse(m.value!.toString()).version === 2);
    expect(ledgerBuildEventsV1.BuildBookedV1.parse(JSON.parse(rebooked.value!.toString()))).toMatchObject({ version: 2, coverage: [], approvedTotal: { amountMinor: 137_699, currency: 'USD' }, bookedAt: payload.bookedAt });
    const listed = await call<ledgerBuildsV1.ListBuildsResponse>('ListBuilds', { status: 'BUILD_STATUS_BOOKED' }, member.query());
    expect(listed.builds.map((b) => b.buildId)).toEqual([ids['build']]);
    // Integer minor units in the read model.
    const { rows } = await pool.query<{ live: string; approved: string }>(`SELECT live_price_minor::text AS live, approved_price_minor::text AS approved FROM "${schema}".builds WHERE build_id = $1`, [ids['build']]);
    expect(rows).toEqual([{ live: '137699', approved: '137699' }]);
  });

  it('rebuilds the catalog and builds read model from the event store to exactly what the consumer wrote', async () => {
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const table of BUILD_READ_MODEL_TABLES) tables[table] = (await pool.query(`SELECT * FROM "${schema}"."${table}" ORDER BY 1, 2`)).rows;
      return tables;
    };
    await waitUntil('the last change order in the read model', () => call<ledgerBuildsV1.ListChangeOrdersResponse>('ListChangeOrders', { buildId: ids['build'] }, member.query()), (r) => r.changeOrders.length === 2);
    const live = await snapshot();
    expect(Object.fromEntries(Object.entries(live).map(([t, r]) => [t, r.length]))).toEqual({ catalog_items: 6, builds: 1, build_change_orders: 2, build_snapshots: 2 });
    await pool.query(`DELETE FROM "${schema}".build_snapshots`);
    await pool.query(`UPDATE "${schema}".builds SET live_price_minor = 1`);
    expect(await snapshot()).not.toEqual(live);
    const orm = await createOwnerOrm(schema, [...BUILD_READ_MODEL_ENTITIES]);
    try {
      await rebuildBuildReadModel({ orm, store: running.app.get<EventStore>(EVENT_STORE), pageSize: 7 });
    } finally {
      await orm.close();
    }
    expect(await snapshot()).toEqual(live);
  });
});
