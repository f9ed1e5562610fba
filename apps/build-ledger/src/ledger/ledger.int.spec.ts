import { randomBytes, randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { buildDecider, BuildStreams, evolveLedgerRow, type LedgerRow, LedgerStreams } from '@projectflo/build-ledger/domain';
import { crmOrganizationEventsV1, GRPC_CONTRACTS, grpcServerContract, type ledgerInvoicingV1 as proto, PROTO_ROOT } from '@projectflo/contracts';
import { type EventStore, handleCommand } from '@projectflo/platform/core';
import { bootstrapGrpcService, callUnary, createGrpcClient, type RunningService } from '@projectflo/platform/grpc';
import { createOwnerOrm, databaseUrlFromEnv } from '@projectflo/platform/persistence';
import { EVENT_STORE } from '@projectflo/platform/service';
import { Caller, eventually, failedCall, freePort, relayedEvent, TestTopics, waitForActiveMember } from '@projectflo/platform/testing';
import { BuildLedgerAppModule } from '../app.module';
import { BUILD_LEDGER_SERVICE_OPTIONS } from '../build-ledger.service-options';
import { LEDGER_READ_MODEL_ENTITIES, LEDGER_READ_MODEL_TABLES, rebuildLedgerReadModel } from './ledger.rebuild';

// The ledger against real Postgres and Kafka: build-ledger in-process on its own schema, topics and
// task queue; commands through gRPC, the read model fed from ledger.build-ledger.v1 by the
// ledger-read-model consumer, and checked against the fold of the ledger's stream.

const DATABASE_URL = databaseUrlFromEnv();
const run = randomBytes(4).toString('hex');
const schema = `bl_ledger_${run}`;
const topics = new TestTopics(`${schema}.`);
const T = randomUUID();
const U = randomUUID();
const manager = new Caller(T, randomUUID(), ['manager']);
const member = new Caller(T, randomUUID(), ['member']);
const outsider = new Caller(U, randomUUID(), ['owner']);
const usd = (amount: string) => ({ currency: 'USD', amount });

describe('the ledger (integration)', () => {
  let running: RunningService<unknown>;
  let client: ReturnType<typeof createGrpcClient>;
  let producer: Producer;
  let pool: Pool;
  let store: EventStore;
  const BUILD = randomUUID();
  const OTHER_BUILD = randomUUID();

  const call = <R>(method: string, request: object, headers: Record<string, string>) => callUnary<R>(client, method, request, headers);
  const command = <R>(method: string, request: object, requestId?: string) => call<R>(method, request, manager.command(requestId));
  const ledger = (caller = manager) => call<proto.GetBuildLedgerResponse>('GetBuildLedger', { buildId: BUILD }, caller.query());
  const waitUntil = <V>(what: string, probe: () => Promise<V>, holds: (value: V) => boolean) => eventually(probe, holds, { what, timeoutMs: 45_000, intervalMs: 200 }) as Promise<V>;
  const createBuild = (buildId: string, tenantId: string) =>
    handleCommand(store, buildDecider, BuildStreams.build(buildId), {
      type: 'CreateBuild',
      data: { buildId, name: 'Smith wedding', currency: 'USD', eventDate: '2027-09-12' },
      metadata: { tenantId, actorId: manager.actorId, actorKind: 'user', requestId: randomUUID(), now: new Date() },
    });

  beforeAll(async () => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 2 });
    producer = topics.client(`bl-ledger-${run}`).producer();
    await producer.connect();
    running = await bootstrapGrpcService({
      ...grpcServerContract('build-ledger'),
      appModule: BuildLedgerAppModule,
      env: { ...process.env, GRPC_PORT: String(await freePort()), DB_SCHEMA: schema, KAFKA_TOPIC_PREFIX: topics.prefix, TEMPORAL_TASK_QUEUE: `bl-ledger-${run}`, LOG_LEVEL: 'warn' },
    });
    store = running.app.get(EVENT_STORE);
    const contract = GRPC_CONTRACTS['build-ledger'];
    client = createGrpcClient({ address: running.url, protoRoot: PROTO_ROOT, protoFile: contract.protoFile, fullServiceName: contract.fullServiceName });
    const members: [Caller, crmOrganizationEventsV1.UserRoleV1][] = [[manager, 'Manager'], [member, 'Member'], [outsider, 'Owner']];
    for (const [caller, role] of members) {
      const added = crmOrganizationEventsV1.userAddedV1(caller.tenantId, caller.actorId, role, new Date().toISOString());
      await producer.send({ topic: crmOrganizationEventsV1.CRM_ORGANIZATION_TOPIC_V1, messages: [relayedEvent('crm', `organization-${caller.tenantId}`, caller.tenantId, 'UserAdded', added)] });
    }
    for (const [caller, role] of members) await waitForActiveMember(running, caller.tenantId, caller.actorId, role);
    await createBuild(BUILD, T);
    await createBuild(OTHER_BUILD, U);
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await running?.app.close();
    await producer?.disconnect();
    await topics.delete(Object.keys(BUILD_LEDGER_SERVICE_OPTIONS.consumes ?? {}).map((purpose) => `${schema}.${purpose}`));
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  }, 60_000);

  it('invoices, collects and spends to the cent, and the read model equals the fold of the journal', async () => {
    // Two invoices: 19.99 × 3 and a 10.00 service charge taxed at 8.25 % (per line: 4.95 + 0.83), 100.00 untaxed.
    const lines = [
      { kind: 'INVOICE_LINE_KIND_ITEM', description: 'Album', unitPrice: usd('19.99'), quantity: '3', taxable: true },
      { kind: 'INVOICE_LINE_KIND_ITEM', description: 'Coverage', unitPrice: usd('100.00'), quantity: '1', taxable: false },
      { kind: 'INVOICE_LINE_KIND_SERVICE_CHARGE', description: 'Service charge', unitPrice: usd('10.00'), quantity: '1', taxable: true },
    ];
    const deposit = await command<proto.DraftInvoiceResponse>('DraftInvoice', { buildId: BUILD, lines, taxRatePercent: '8.25', dueDate: '2027-01-15' });
    const draft = deposit.ledger!.invoices.find((i) => i.invoiceId === deposit.invoiceId)!;
    expect([draft.status, draft.invoiceNumber, draft.subtotal?.amount, draft.tax?.amount, draft.total?.amount]).toEqual(['INVOICE_STATUS_DRAFT', '', '169.97', '5.78', '175.75']);
    const issued = await command<proto.IssueInvoiceResponse>('IssueInvoice', { buildId: BUILD, invoiceId: deposit.invoiceId, issueDate: '2027-01-01' });
    expect(issued.invoiceNumber).toBe('INV-000001');

    const balance = await command<proto.DraftInvoiceResponse>('DraftInvoice', { buildId: BUILD, lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Balance', unitPrice: usd('500.00'), quantity: '1', taxable: false }], dueDate: '2027-02-15' });
    expect((await command<proto.IssueInvoiceResponse>('IssueInvoice', { buildId: BUILD, invoiceId: balance.invoiceId, issueDate: '2027-01-01' })).invoiceNumber).toBe('INV-000002');

    // An overpayment becomes customer credit; the same transaction again is the same payment; other data is refused.
    const pay = { buildId: BUILD, invoiceId: deposit.invoiceId, externalTransactionId: `ch_${run}`, method: 'PAYMENT_METHOD_CARD', amount: usd('200.00'), effectiveDate: '2026-12-28' };
    const paid = await command<proto.RecordPaymentResponse>('RecordPayment', pay);
    expect(paid.ledger?.figures).toMatchObject({ totalPaid: usd('200.00'), customerCredit: usd('24.25'), balanceDue: usd('500.00') });
    const again = await command<proto.RecordPaymentResponse>('RecordPayment', pay);
    expect([again.paymentId, again.ledger?.version]).toEqual([paid.paymentId, paid.ledger?.version]);
    expect((await failedCall(command('RecordPayment', { ...pay, amount: usd('20.00') }))).code).toBe(status.ALREADY_EXISTS);

    // A bank transfer stays pending until posted.
    const wire = await command<proto.RecordPaymentResponse>('RecordPayment', { ...pay, invoiceId: balance.invoiceId, externalTransactionId: `wire_${run}`, method: 'PAYMENT_METHOD_BANK_TRANSFER', amount: usd('300.00') });
    expect(wire.ledger?.payments.find((p) => p.paymentId === wire.paymentId)?.status).toBe('PAYMENT_STATUS_PENDING');
    expect(wire.ledger?.figures?.balanceDue).toEqual(usd('500.00'));
    // It expires only after its 14 days.
    expect((await failedCall(command('ExpirePayment', { buildId: BUILD, paymentId: wire.paymentId }))).code).toBe(status.FAILED_PRECONDITION);
    const posted = await command<proto.PostPaymentResponse>('PostPayment', { buildId: BUILD, paymentId: wire.paymentId });
    expect(posted.ledger?.figures).toMatchObject({ totalPaid: usd('500.00'), balanceDue: usd('200.00') });
    expect((await failedCall(command('PostPayment', { buildId: BUILD, paymentId: wire.paymentId }))).code).toBe(status.FAILED_PRECONDITION);

    const spent = await command<proto.RecordExpenseResponse>('RecordExpense', { buildId: BUILD, category: 'travel', description: 'Train', amount: usd('30.00'), receiptUrl: 'https://receipts.example/1' });
    expect(spent.ledger?.figures).toMatchObject({ revenue: usd('669.97'), expenses: usd('30.00'), profit: usd('639.97'), totalPaid: usd('500.00') });

    // Bad input: nothing half-written.
    const version = spent.ledger!.version;
    const precise = await failedCall(command('RecordPayment', { ...pay, externalTransactionId: `x_${run}`, amount: usd('1.001') }));
    expect([precise.code, precise.message]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('amount')]);
    const negative = await failedCall(command('DraftInvoice', { buildId: BUILD, lines: [{ ...lines[0], unitPrice: usd('-1.00') }], dueDate: '2027-01-15' }));
    expect([negative.code, negative.message]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('lines[0].unit_price')]);
    expect((await failedCall(command('RecordExpense', { buildId: OTHER_BUILD, category: 'travel', amount: usd('1.00') }))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(command('RefundPayment', { buildId: BUILD, paymentId: paid.paymentId, amount: usd('200.01'), reason: 'too much' }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await store.readStream(LedgerStreams.ledger(BUILD))).version).toBe(Number(version));

    // The read model: fed from Kafka, equal to the fold of the ledger's stream and to the replies.
    const read = await waitUntil('the read model at the ledger version', () => ledger(), (r) => r.ledger?.version === version);
    expect(read.ledger?.figures).toEqual(spent.ledger?.figures);
    const { events } = await store.readStream(LedgerStreams.ledger(BUILD));
    const folded = events.reduce<LedgerRow | undefined>((row, e) => evolveLedgerRow(row, e), undefined)!;
    const rows = await pool.query(`SELECT figures, version FROM "${schema}".ledger_views WHERE build_id = $1`, [BUILD]);
    expect(rows.rows[0]).toEqual({ figures: folded.figures, version: folded.version });
    const sums = await pool.query(`SELECT side, sum(amount_minor)::text AS total FROM "${schema}".ledger_journal_lines WHERE build_id = $1 GROUP BY side ORDER BY side`, [BUILD]);
    expect(sums.rows[0].total).toBe(sums.rows[1].total);

    const invoices = await call<proto.ListInvoicesResponse>('ListInvoices', { buildId: BUILD }, manager.query());
    expect(invoices.invoices.map((i) => [i.invoiceNumber, i.status, i.amountDue?.amount]).sort()).toEqual([
      ['INV-000001', 'INVOICE_STATUS_PAID', '0.00'],
      ['INV-000002', 'INVOICE_STATUS_PARTIALLY_PAID', '200.00'],
    ]);
    // The lines, taxed one by one, are on the listed invoice (the ledger reply carries amounts only).
    expect(invoices.invoices.find((i) => i.invoiceNumber === 'INV-000001')?.lines.map((l) => [l.amount?.amount, l.tax?.amount])).toEqual([
      ['59.97', '4.95'],
      ['100.00', '0.00'],
      ['10.00', '0.83'],
    ]);
    const ageing = await call<proto.GetReceivablesAgeingResponse>('GetReceivablesAgeing', { asOf: '2027-03-01' }, manager.query());
    expect(ageing.currencies).toEqual([
      {
        currency: 'USD',
        totalDue: usd('200.00'),
        buckets: [
          { bucket: 'current', amountDue: usd('0.00'), invoices: 0 },
          { bucket: '1-30', amountDue: usd('200.00'), invoices: 1 },
          { bucket: '31-60', amountDue: usd('0.00'), invoices: 0 },
          { bucket: '61-90', amountDue: usd('0.00'), invoices: 0 },
          { bucket: '90+', amountDue: usd('0.00'), invoices: 0 },
        ],
      },
    ]);
    const profit = await call<proto.GetProjectProfitabilityResponse>('GetProjectProfitability', { buildId: BUILD }, manager.query());
    expect(profit).toMatchObject({ revenue: usd('669.97'), expenses: usd('30.00'), profit: usd('639.97'), marginPercent: '95.52', byCategory: [{ category: 'travel', amount: usd('30.00') }] });
    const journal = await call<proto.ListJournalEntriesResponse>('ListJournalEntries', { buildId: BUILD, page: { pageSize: 2, pageToken: '' } }, manager.query());
    expect(journal.entries.map((e) => e.kind)).toEqual(['invoice', 'invoice']);
    expect(journal.page?.nextPageToken).not.toBe('');

    // Another tenant sees nothing of it; a member may not read the ledger.
    expect((await failedCall(call('GetBuildLedger', { buildId: BUILD }, outsider.query()))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(call('RecordPayment', { ...pay, externalTransactionId: `o_${run}` }, outsider.command()))).code).toBe(status.NOT_FOUND);
    expect((await failedCall(ledger(member))).code).toBe(status.PERMISSION_DENIED);
  }, 120_000);

  it('splits an approved build into a deposit and a balance that follow the event date when it moves', async () => {
    // A real build through build-ledger's own RPCs: a catalog item, configured, approved (1000.03) and booked.
    const item = await command<{ item: { itemId: string } }>('UpsertCatalogItem', { name: `Album ${run}`, billableItem: { pricing: 'BILLABLE_ITEM_PRICING_PER_UNIT', price: usd('1000.03'), active: true } });
    const created = await command<{ build: { buildId: string } }>('CreateBuild', { name: 'Jones wedding', currency: 'USD', eventDate: '2027-09-12' });
    const buildId = created.build.buildId;
    await command('ConfigureBuild', { buildId, changes: [{ addBillableItem: { billableItemId: item.item.itemId, quantity: '1' } }] });
    await command('ApproveBuild', { buildId });
    await command('BookBuild', { buildId });
    const today = new Date().toISOString().slice(0, 10);
    const parts = [
      { label: 'Deposit', percent: '30', anchor: 'SCHEDULE_ANCHOR_BOOKING', offsetDays: 0 },
      { label: 'Balance', percent: '70', anchor: 'SCHEDULE_ANCHOR_EVENT_DATE', offsetDays: -30 },
    ];
    const set = await command<proto.SetPaymentScheduleResponse>('SetPaymentSchedule', { buildId, parts });
    // The leftover cent goes to the larger share.
    expect(set.ledger?.schedule.map((p) => [p.label, p.amount?.amount, p.dueDate])).toEqual([
      ['Deposit', '300.00', today],
      ['Balance', '700.03', '2027-08-13'],
    ]);
    const bad = await failedCall(command('SetPaymentSchedule', { buildId, parts: [{ ...parts[0], percent: '20' }, parts[1]] }));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);

    // The wedding moves: the payment-schedules consumer replans from the build's stream.
    await command('UpdateBuildDetails', { buildId, name: 'Jones wedding', eventDate: '2027-10-10' });
    const moved = await waitUntil(
      'the balance due 30 days before the new date',
      () => call<proto.GetBuildLedgerResponse>('GetBuildLedger', { buildId }, manager.query()),
      (r) => r.ledger?.schedule[1]?.dueDate === '2027-09-10',
    );
    expect(moved.ledger?.schedule.map((p) => [p.amount?.amount, p.dueDate])).toEqual([
      ['300.00', today],
      ['700.03', '2027-09-10'],
    ]);
    const replanned = (await store.readStream(LedgerStreams.ledger(buildId))).events.filter((e) => e.type === 'PaymentScheduleReplanned');
    expect(replanned.map((e) => [e.metadata.actorId, e.metadata.actorKind])).toEqual([['system:build-ledger', 'service']]);
  }, 120_000);

  it('taxes a draft at the tenant\'s named rate, captured when drafted', async () => {
    const set = await command<proto.SetTaxRatesResponse>('SetTaxRates', { rates: [{ code: 'standard', name: 'Sales tax', percent: '8.25' }, { code: 'zero', name: 'Exempt', percent: '0' }] });
    expect(set.rates.map((r) => [r.code, r.percent])).toEqual([['standard', '8.25'], ['zero', '0']]);
    expect((await call<proto.GetTaxRatesResponse>('GetTaxRates', {}, manager.query())).rates).toEqual(set.rates);
    const lines = [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Album', unitPrice: usd('19.99'), quantity: '3', taxable: true }];
    const drafted = await command<proto.DraftInvoiceResponse>('DraftInvoice', { buildId: BUILD, lines, taxRateCode: 'standard', dueDate: '2027-06-01' });
    expect(drafted.ledger?.invoices.find((i) => i.invoiceId === drafted.invoiceId)).toMatchObject({ taxRatePercent: '8.25', tax: usd('4.95'), total: usd('64.92') });
    // The rate changes later: the draft keeps what it was priced with.
    await command('SetTaxRates', { rates: [{ code: 'standard', name: 'Sales tax', percent: '9' }] });
    const read = await waitUntil('the draft in the read model', () => ledger(), (r) => r.ledger?.invoices.some((i) => i.invoiceId === drafted.invoiceId) === true);
    expect(read.ledger?.invoices.find((i) => i.invoiceId === drafted.invoiceId)?.tax).toEqual(usd('4.95'));
    const both = await failedCall(command('DraftInvoice', { buildId: BUILD, lines, taxRateCode: 'standard', taxRatePercent: '5', dueDate: '2027-06-01' }));
    const unknown = await failedCall(command('DraftInvoice', { buildId: BUILD, lines, taxRateCode: 'luxury', dueDate: '2027-06-01' }));
    expect([both.code, unknown.code, unknown.message]).toEqual([status.INVALID_ARGUMENT, status.INVALID_ARGUMENT, expect.stringContaining('tax_rate_code')]);
    await command('DiscardInvoiceDraft', { buildId: BUILD, invoiceId: drafted.invoiceId });
  }, 60_000);

  it('gives racing issues of one tenant distinct, gap-free numbers', async () => {
    const drafts: proto.DraftInvoiceResponse[] = [];
    for (let i = 0; i < 5; i++) {
      drafts.push(await command<proto.DraftInvoiceResponse>('DraftInvoice', { buildId: BUILD, lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Print', unitPrice: usd('10.00'), quantity: '1', taxable: false }], dueDate: '2027-06-01' }));
    }
    const issued = await Promise.all(drafts.map((d) => command<proto.IssueInvoiceResponse>('IssueInvoice', { buildId: BUILD, invoiceId: d.invoiceId })));
    expect(issued.map((i) => i.invoiceNumber).sort()).toEqual(['INV-000003', 'INV-000004', 'INV-000005', 'INV-000006', 'INV-000007']);
  }, 60_000);

  it('rebuilds the ledger read model from the event store to exactly what the consumer wrote', async () => {
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const table of LEDGER_READ_MODEL_TABLES) tables[table] = (await pool.query(`SELECT * FROM "${schema}"."${table}" ORDER BY 1, 2`)).rows;
      return tables;
    };
    const version = (await store.readStream(LedgerStreams.ledger(BUILD))).version;
    await waitUntil('the read model at the ledger version', () => ledger(), (r) => r.ledger?.version === String(version));
    const live = await snapshot();
    expect(live['ledger_journal_lines']!.length).toBeGreaterThan(10);
    await pool.query(`DELETE FROM "${schema}".ledger_journal_lines`);
    await pool.query(`UPDATE "${schema}".ledger_invoices SET paid_minor = 1`);
    expect(await snapshot()).not.toEqual(live);
    const orm = await createOwnerOrm(schema, [...LEDGER_READ_MODEL_ENTITIES]);
    try {
      await rebuildLedgerReadModel({ orm, store, pageSize: 7 });
    } finally {
      await orm.close();
    }
    expect(await snapshot()).toEqual(live);
  }, 60_000);
});
