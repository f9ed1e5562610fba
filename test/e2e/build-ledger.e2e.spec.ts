import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { crmV1, ledgerBuildsV1, ledgerCatalogV1, ledgerInvoicingV1, schedulingAssignmentsV1, tasksRecipesV1, tasksV1 } from '@projectflo/contracts';
import { eventually, failedCall } from '@projectflo/platform/testing';
import { KafkaTap } from './support/kafka-tap';
import { e2eTopics, endRun, ServiceProcess } from './support/service-process';
import { newTenant } from './support/tenant';
import { admittedAfter } from './support/users';

// A studio's job from quote to cash, through the running processes: crm knows the lead; the
// studio prices a build from its catalog in build-ledger, approves and books it; BuildBooked
// reaches Kafka with its components, and the task-engine expands its component recipes into
// production tasks while scheduling lists the coverage to staff; a change order with a discount
// changes the booking; a deposit and a balance invoice are issued and paid; the ledger's read
// models show the exact figures, to the cent.

const run = randomBytes(4).toString('hex');
let crm: ServiceProcess;
let tasks: ServiceProcess;
let ledger: ServiceProcess;
let scheduling: ServiceProcess;
let tap: KafkaTap;
const t = newTenant();
const usd = (amount: string) => ({ currency: 'USD', amount });
const ids: Record<string, string> = {};

beforeAll(async () => {
  [crm, tasks, ledger, scheduling] = await Promise.all([
    ServiceProcess.create('crm', run),
    ServiceProcess.create('task-engine', run),
    ServiceProcess.create('build-ledger', run),
    ServiceProcess.create('scheduling', run),
  ]);
  await Promise.all([crm.start(), tasks.start(), ledger.start(), scheduling.start()]);
  tap = new KafkaTap(e2eTopics(run), ['ledger.build.v1']);
  await tap.start();
}, 240_000);

afterAll(async () => {
  await tap?.stop();
  await endRun(run, [crm, tasks, ledger, scheduling]);
}, 120_000);

const catalog = (request: object) => ledger.call<ledgerCatalogV1.UpsertCatalogItemResponse>('UpsertCatalogItem', request, t.headers()).then((r) => r.item!.itemId);
/** The build and its ledger as the read models show them, once they have what `token`'s command wrote. */
const build = (token: string) => ledger.call<ledgerBuildsV1.GetBuildResponse>('GetBuild', { buildId: ids['build'] }, t.readAfter(token)).then((r) => r.build!);
const ledgerOf = (token: string) => ledger.call<ledgerInvoicingV1.GetBuildLedgerResponse>('GetBuildLedger', { buildId: ids['build'] }, t.readAfter(token)).then((r) => r.ledger!);

describe('quote to cash: a build priced from the catalog, booked, changed, invoiced and paid to the cent', () => {
  it('sets up the studio: a lead in crm, a catalog, production templates and a component recipe', async () => {
    const registered = await crm.command('RegisterOrganization', { name: 'Ledger Studio', timezone: 'Europe/London', ownerName: 'Owner', ownerEmail: `owner-${run}@e2e.example` }, t.headers());
    // One call each, held by the gate until that service's user directory has crm's UserAdded.
    await Promise.all([tasks, ledger, scheduling].map((service) => admittedAfter(service, registered.token, t)));
    const inquiry = (await crm.call<crmV1.DefineLeadStatusResponse>('DefineLeadStatus', { name: 'New Inquiry' }, t.headers())).leadStatus!.statusId;
    const contact = await crm.call<crmV1.CreateContactResponse>('CreateContact', { type: 'CONTACT_TYPE_CLIENT_LEAD', firstName: 'Ana', lastName: 'Ruiz', email: `ana.${run}@e2e.example` }, t.headers());
    ids['lead'] = (await crm.call<crmV1.CaptureLeadResponse>('CaptureLead', { contactId: contact.contact!.contactId, statusId: inquiry, eventDate: '2027-09-12', source: 'website' }, t.headers())).lead!.leadId;

    ids['ceremony'] = await catalog({ name: 'Ceremony', coverageScene: {} });
    ids['colour'] = await catalog({ name: 'Colour grading', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_FIXED', price: usd('250.00'), category: 'post', active: true } });
    ids['usb'] = await catalog({ name: 'USB keepsake', billableItem: { pricing: 'BILLABLE_ITEM_PRICING_PER_UNIT', price: usd('19.99'), category: 'products', active: true } });
    ids['cinematic'] = await catalog({ name: 'Cinematic', editingStyle: { ratePerMinute: usd('12.50'), requirements: [{ billableItemId: ids['colour'], quantity: '1' }] } });
    ids['videographer'] = await catalog({ name: 'Videographer', operatorType: { pricing: 'OPERATOR_PRICING_HOURLY', rate: usd('95.00') } });
    ids['film'] = await catalog({
      name: 'Highlight film',
      deliverable: { price: usd('1200.00'), defaultComponents: [{ sceneId: ids['ceremony'], editingStyleId: ids['cinematic'], targetMinutes: 4, included: true }] },
    });

    const template = async (key: string, name: string, extra: object = {}) =>
      (await tasks.call<tasksV1.CreateTaskTemplateResponse>('CreateTaskTemplate', {
        template: { key, trigger: { eventType: 'production.edit' }, name, priority: 'TASK_PRIORITY_HIGH', dueOffset: { days: 14, hours: 9, anchor: 'DUE_ANCHOR_SUBJECT_DATE', anchorField: 'event_date' }, ...extra },
      }, t.headers())).template!.templateId;
    const edit = await template('edit-film', 'Edit the film');
    const review = await template('review-film', 'Review the film', { dependsOn: ['edit-film'] });
    await tasks.call<tasksRecipesV1.DefineComponentRecipeResponse>('DefineComponentRecipe', {
      recipe: { recipeId: `00000000-0000-4000-8000-${run.padStart(12, '0')}`, name: 'Cinematic film', deliverableId: ids['film'], sceneId: '', editingStyleId: ids['cinematic'], templateIds: [edit, review] },
    }, t.headers());
  });

  it('prices a build from the catalog line by line, refusing bad input with nothing written', async () => {
    const { response: created, token: createdToken } = await ledger.command<ledgerBuildsV1.CreateBuildResponse>(
      'CreateBuild',
      { leadId: ids['lead'], name: 'Ana & Ben', currency: 'USD', eventDate: '2027-09-12' },
      t.headers(),
    );
    ids['build'] = created.build!.buildId;
    const configure = (changes: object[]) => ledger.command<ledgerBuildsV1.ConfigureBuildResponse>('ConfigureBuild', { buildId: ids['build'], changes }, t.headers());

    const negative = await failedCall(configure([{ addBillableItem: { billableItemId: ids['usb'], quantity: '-1' } }]));
    expect([negative.code, negative.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('changes[0].add_billable_item.quantity')]);
    expect((await failedCall(configure([{ addDeliverable: { deliverableId: '5d1f0c1e-0000-4000-8000-000000000000' } }]))).code).toBe(status.NOT_FOUND);
    // A caller who is no user of the studio is refused before any handler.
    expect((await failedCall(ledger.call('GetBuild', { buildId: ids['build'] }, newTenant().headers()))).code).toBe(status.PERMISSION_DENIED);
    // Nothing was written by the refused changes: the read model holds the created build at version 1.
    expect((await build(createdToken)).version).toBe('1');

    const { response: configured, token: configuredToken } = await configure([
      { addCoverage: { sceneId: ids['ceremony'], operatorTypeId: ids['videographer'], quantity: 2, hours: '8' } },
      { addDeliverable: { deliverableId: ids['film'] } },
      { addBillableItem: { billableItemId: ids['usb'], quantity: '1.5', notes: 'for the parents' } },
    ]);
    // 2 × 8 h × 95.00 + 1200.00 + 4 min × 12.50 + 250.00 (the style needs colour grading) + 1.5 × 19.99 (29.985 → 29.99)
    expect(configured.build!.livePrice).toEqual(usd('3049.99'));
    expect(configured.build!.version).toBe('2');
    ids['coverageLine'] = configured.build!.configuration!.coverage[0]!.lineId;
    // The read model answers once it has the configuration: no polling.
    const breakdown = await ledger.call<ledgerBuildsV1.GetBuildPriceBreakdownResponse>('GetBuildPriceBreakdown', { buildId: ids['build'] }, t.readAfter(configuredToken));
    expect(breakdown.breakdown?.total?.amount).toBe('3049.99');
    expect(breakdown.breakdown!.lines.map((l) => l.amount?.amount)).toEqual(['1520.00', '1200.00', '50.00', '250.00', '29.99']);
  });

  it('approves and books: BuildBooked reaches Kafka, the task-engine makes the production tasks, scheduling lists the coverage', async () => {
    await ledger.call('ApproveBuild', { buildId: ids['build'] }, t.headers());
    const booked = await ledger.call<ledgerBuildsV1.BookBuildResponse>('BookBuild', { buildId: ids['build'] }, t.headers());
    expect(booked.build).toMatchObject({ status: 'BUILD_STATUS_BOOKED', approvedPrice: usd('3049.99') });

    const onKafka = await eventually(
      async () => tap.forTenant(t.tenantId).filter((m) => m.topic === 'ledger.build.v1' && String(m.headers['ce_type']).endsWith('.BuildBooked')),
      (list) => list.length >= 1,
      { what: 'BuildBooked on ledger.build.v1' },
    );
    expect(onKafka).toHaveLength(1);
    const payload = onKafka[0].value as { buildId: string; leadId: string; approvedTotal: unknown; components: { deliverableName: string; sceneName: string; editingStyleName: string; targetMinutes: number }[] };
    expect(payload).toMatchObject({ buildId: ids['build'], leadId: ids['lead'], approvedTotal: { amountMinor: 304_999, currency: 'USD' } });
    expect(payload.components.map((c) => [c.deliverableName, c.sceneName, c.editingStyleName, c.targetMinutes])).toEqual([['Highlight film', 'Ceremony', 'Cinematic', 4]]);

    const production = await eventually(
      () => tasks.call<tasksV1.ListTasksResponse>('ListTasks', { page: { pageSize: 50 } }, t.headers()).then((r) => r.tasks ?? []),
      (list) => list.length >= 2,
      { what: 'the production tasks of the booked build', timeoutMs: 90_000 },
    );
    expect(production.map((task) => task.templateKey).sort()).toEqual(['edit-film', 'review-film']);
    const edit = production.find((task) => task.templateKey === 'edit-film')!;
    // 14 days after the event date, 09:00 in the business calendar's zone (UTC: the studio set none).
    expect(edit.dueAt).toEqual({ seconds: String(Date.parse('2027-09-26T09:00:00Z') / 1000), nanos: 0 });
    expect(production.find((task) => task.templateKey === 'review-film')!.blockedByTaskIds).toEqual([edit.taskId]);

    const assignments = await eventually(
      () => scheduling.call<schedulingAssignmentsV1.ListProjectAssignmentsResponse>('ListProjectAssignments', { buildId: ids['build'] }, t.headers()),
      (r) => r.assignments.length === 1,
      { what: 'the coverage to staff in scheduling' },
    );
    expect(assignments.assignments.map((a) => [a.operatorTypeName, a.quantity, a.openPlaces, a.eventDate])).toEqual([['Videographer', 2, 2, '2027-09-12']]);
  });

  it('changes the booking by a change order with a discount, keeping every version', async () => {
    const coverageLine = ids['coverageLine'];
    const proposed = await ledger.call<ledgerBuildsV1.ProposeChangeOrderResponse>('ProposeChangeOrder', {
      buildId: ids['build'], baseVersion: 1, description: 'One videographer fewer', changes: [{ removeCoverage: { lineId: coverageLine } }],
      discount: { kind: 'DISCOUNT_KIND_PERCENT', percent: '10', reason: 'loyal client' },
    }, t.headers());
    // 3049.99 − 1520.00 = 1529.99; 10 % = 153.00 (152.999 → 153.00); new total 1376.99.
    expect(proposed.changeOrder).toMatchObject({ priceDelta: usd('-1520.00'), newApprovedTotal: usd('1376.99') });
    const approved = await ledger.call<ledgerBuildsV1.ApproveChangeOrderResponse>('ApproveChangeOrder', { buildId: ids['build'], changeOrderId: proposed.changeOrder!.changeOrderId }, t.headers());
    expect(approved.build).toMatchObject({ configurationVersion: 2, approvedPrice: usd('1376.99') });
    expect((await failedCall(ledger.call('ProposeChangeOrder', { buildId: ids['build'], baseVersion: 1, description: 'stale', changes: [] }, t.headers()))).code).toBe(status.ABORTED);
    const v1 = await eventually(
      () => ledger.call<ledgerBuildsV1.GetBuildSnapshotResponse>('GetBuildSnapshot', { buildId: ids['build'], version: 1 }, t.headers()),
      () => true,
      { what: 'the snapshot of version 1' },
    );
    expect(v1.snapshot!.approvedTotal).toEqual(usd('3049.99'));
  });

  it('issues a deposit and a balance invoice, records payments, and every figure is exact', async () => {
    const set = await ledger.call<ledgerInvoicingV1.SetPaymentScheduleResponse>('SetPaymentSchedule', {
      buildId: ids['build'],
      parts: [
        { label: 'Deposit', percent: '30', anchor: 'SCHEDULE_ANCHOR_BOOKING', offsetDays: 0 },
        { label: 'Balance', percent: '70', anchor: 'SCHEDULE_ANCHOR_EVENT_DATE', offsetDays: -30 },
      ],
    }, t.headers());
    // 1376.99 at 30/70: 413.097 → 413.09 and 963.893 → 963.89, the leftover cent to the larger share: 963.90.
    expect(set.ledger!.schedule.map((p) => [p.label, p.amount?.amount, p.dueDate])).toEqual([
      ['Deposit', '413.09', expect.any(String)],
      ['Balance', '963.90', '2027-08-13'],
    ]);
    const invoice = async (part: ledgerInvoicingV1.SchedulePart) => {
      const draft = await ledger.call<ledgerInvoicingV1.DraftInvoiceResponse>('DraftInvoice', {
        buildId: ids['build'], schedulePartId: part.partId, dueDate: part.dueDate,
        lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: `${part.label} for Ana & Ben`, unitPrice: usd(part.amount!.amount), quantity: '1', taxable: false }],
      }, t.headers());
      const issued = await ledger.call<ledgerInvoicingV1.IssueInvoiceResponse>('IssueInvoice', { buildId: ids['build'], invoiceId: draft.invoiceId }, t.headers());
      return { invoiceId: draft.invoiceId, number: issued.invoiceNumber };
    };
    const [depositPart, balancePart] = set.ledger!.schedule;
    const deposit = await invoice(depositPart!);
    const balance = await invoice(balancePart!);
    expect([deposit.number, balance.number]).toEqual(['INV-000001', 'INV-000002']);

    const pay = (invoiceId: string, amount: string, reference: string, method = 'PAYMENT_METHOD_CARD') =>
      ledger.call<ledgerInvoicingV1.RecordPaymentResponse>('RecordPayment', { buildId: ids['build'], invoiceId, externalTransactionId: `${reference}-${run}`, method, amount: usd(amount), effectiveDate: '2026-12-01' }, t.headers());
    await pay(deposit.invoiceId, '413.09', 'card');
    const again = await pay(deposit.invoiceId, '413.09', 'card');
    const wire = await pay(balance.invoiceId, '500.00', 'wire', 'PAYMENT_METHOD_BANK_TRANSFER');
    expect(wire.ledger!.figures).toMatchObject({ totalPaid: usd('413.09'), balanceDue: usd('963.90') });
    const posted = await ledger.call<ledgerInvoicingV1.PostPaymentResponse>('PostPayment', { buildId: ids['build'], paymentId: wire.paymentId }, t.headers());
    expect(posted.ledger!.figures).toMatchObject({ totalPaid: usd('913.09'), balanceDue: usd('463.90'), customerCredit: usd('0.00') });
    expect(again.ledger!.payments.filter((p) => p.externalTransactionId === `card-${run}`)).toHaveLength(1);
    const expense = await ledger.command('RecordExpense', { buildId: ids['build'], category: 'travel', description: 'Train to the venue', amount: usd('42.50'), receiptUrl: 'https://receipts.example/42' }, t.headers());

    // The read models, fed from Kafka, show the same exact figures once they have the expense (the
    // last write to the build's ledger stream, so the payments before it too).
    const read = await ledgerOf(expense.token);
    expect(read.expenses).toHaveLength(1);
    expect(read.figures).toMatchObject({ totalPaid: usd('913.09'), balanceDue: usd('463.90'), revenue: usd('1376.99'), expenses: usd('42.50'), profit: usd('1334.49') });
    const invoices = await ledger.call<ledgerInvoicingV1.ListInvoicesResponse>('ListInvoices', { buildId: ids['build'] }, t.headers());
    expect(invoices.invoices.map((i) => [i.invoiceNumber, i.status, i.total?.amount, i.amountDue?.amount]).sort()).toEqual([
      ['INV-000001', 'INVOICE_STATUS_PAID', '413.09', '0.00'],
      ['INV-000002', 'INVOICE_STATUS_PARTIALLY_PAID', '963.90', '463.90'],
    ]);
    const profit = await ledger.call<ledgerInvoicingV1.GetProjectProfitabilityResponse>('GetProjectProfitability', { buildId: ids['build'] }, t.headers());
    expect(profit).toMatchObject({ revenue: usd('1376.99'), expenses: usd('42.50'), profit: usd('1334.49') });
  });
});
