/*
 * Hostile input at the ledger's command and query edge, in process: every command, given arbitrary
 * request objects (wrong types, huge and odd numbers, NUL characters, negative and over-precise money,
 * unknown enums, missing fields) on a ledger with an issued invoice and a payment, either succeeds or
 * fails with a DomainError (what the gRPC edge maps to INVALID_ARGUMENT, NOT_FOUND, ...), never with
 * anything else (which would be INTERNAL); and a refused command appends nothing.
 */
import { type BuildFacts, money } from '@projectflo/build-ledger/domain';
import { DomainError, FixedClock } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { type CommandContext, requestFingerprint } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import fc from 'fast-check';
import type { BuildFactsSource } from './build-facts.reader';
import { LedgerCommands } from './ledger.commands';

const TENANT = 'tenant-edge';
const BUILD = 'build-edge';
const builds: BuildFactsSource = {
  of: async (_tenantId, buildId): Promise<BuildFacts> => {
    if (buildId !== BUILD) throw DomainError.notFound('build', buildId);
    return { buildId, currency: 'USD', approvedTotal: money(1_000_00, 'USD'), status: 'booked', bookedAt: '2026-03-01T00:00:00.000Z', eventDate: '2026-09-12', version: 1 };
  },
};

/** Replays a failure: LEDGER_EDGE_SEED=<seed> (and LEDGER_EDGE_PATH=<path>) from the printed report. */
const replay = process.env.LEDGER_EDGE_SEED ? { seed: Number(process.env.LEDGER_EDGE_SEED), ...(process.env.LEDGER_EDGE_PATH ? { path: process.env.LEDGER_EDGE_PATH } : {}) } : {};

const COMMANDS = [
  'draftInvoice',
  'reviseInvoiceDraft',
  'discardInvoiceDraft',
  'issueInvoice',
  'issueCreditNote',
  'voidInvoice',
  'markInvoiceUncollectible',
  'recordPayment',
  'postPayment',
  'voidPayment',
  'expirePayment',
  'refundPayment',
  'reversePayment',
  'applyCustomerCredit',
  'recordExpense',
  'voidExpense',
  'setPaymentSchedule',
  'replanPaymentSchedule',
  'setTaxRates',
] as const;

async function setUp() {
  const store = new InMemoryEventStore();
  const commands = new LedgerCommands(new CommandExecutor(store, new FixedClock(new Date('2026-03-02T09:30:00Z'))), builds);
  let n = 0;
  const ctx = (request: unknown): CommandContext => ({ tenantId: TENANT, actorId: 'user', actorKind: 'user', roles: ['manager'], requestId: `r-${++n}`, requestFingerprint: requestFingerprint(request) });
  const draft = { buildId: BUILD, lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Album', unitPrice: { currency: 'USD', amount: '100.00' }, quantity: '1', taxable: true }], taxRatePercent: '8', taxRateCode: '', dueDate: '2027-01-01', schedulePartId: '' };
  const { invoiceId } = await commands.draftInvoice(ctx(draft), draft as never);
  await commands.issueInvoice(ctx({}), { buildId: BUILD, invoiceId, issueDate: '' } as never);
  const pay = { buildId: BUILD, invoiceId, externalTransactionId: 'txn-1', method: 'PAYMENT_METHOD_CARD', amount: { currency: 'USD', amount: '150.00' }, effectiveDate: '' };
  const { paymentId } = await commands.recordPayment(ctx(pay), pay as never);
  return { store, commands, ctx, invoiceId, paymentId };
}

const text = fc.oneof(fc.string(), fc.constantFrom('', ' ', '\u0000', 'USD', 'XXX', '1.001', '-5', '1e400', '99999999999999999999', '2026-02-30', 'INVOICE_LINE_KIND_LATE_FEE', 'PAYMENT_METHOD_BANK_TRANSFER', 'SCHEDULE_ANCHOR_FIXED'));
const moneyish = fc.oneof(fc.record({ currency: text, amount: text }), fc.constant(null), fc.anything());
const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), moneyish, fc.array(fc.anything(), { maxLength: 3 }));

describe('ledger edge (hostile requests, in process)', () => {
  it('answers every command with a result or a DomainError, and a refusal appends nothing', async () => {
    const { store, commands, ctx, invoiceId, paymentId } = await setUp();
    const ids = fc.constantFrom(BUILD, invoiceId, paymentId, 'other', '');
    const request = fc.record(
      {
        buildId: fc.oneof(ids, value),
        invoiceId: fc.oneof(ids, value),
        paymentId: fc.oneof(ids, value),
        expenseId: fc.oneof(ids, value),
        lines: fc.oneof(fc.array(fc.record({ kind: fc.oneof(text, value), description: fc.oneof(text, value), unitPrice: moneyish, quantity: fc.oneof(text, value), taxable: fc.oneof(fc.boolean(), value) }), { maxLength: 3 }), value),
        parts: fc.oneof(fc.array(fc.record({ label: text, percent: text, anchor: text, offsetDays: fc.oneof(fc.integer(), value), fixedDate: text }), { maxLength: 3 }), value),
        rates: fc.oneof(fc.array(fc.record({ code: text, name: text, percent: text }), { maxLength: 3 }), value),
        amount: moneyish,
        method: text,
        settlement: text,
        externalTransactionId: text,
        reason: text,
        category: text,
        description: text,
        receiptUrl: text,
        effectiveDate: text,
        issueDate: text,
        dueDate: text,
        taxRatePercent: text,
        taxRateCode: text,
        schedulePartId: text,
        expectedVersion: fc.oneof(fc.constant(undefined), text),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMANDS), request, async (method, body) => {
        const before = (await store.readAll({ limit: 100_000 })).length;
        try {
          await (commands[method] as (c: CommandContext, r: unknown) => Promise<unknown>).call(commands, ctx(body), body);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          expect((await store.readAll({ limit: 100_000 })).length).toBe(before);
        }
      }),
      { numRuns: Number(process.env.LEDGER_EDGE_RUNS ?? 1_500), ...replay },
    );
  }, 120_000);

  it('answers a valid request with one hostile field the same way', async () => {
    const { store, commands, ctx, invoiceId, paymentId } = await setUp();
    const usd = (amount: string) => ({ currency: 'USD', amount });
    const line = { kind: 'INVOICE_LINE_KIND_ITEM', description: 'Print', unitPrice: usd('10.00'), quantity: '2', taxable: true };
    const bases: Record<(typeof COMMANDS)[number], Record<string, unknown>> = {
      draftInvoice: { buildId: BUILD, lines: [line], taxRatePercent: '8.25', taxRateCode: '', dueDate: '2027-01-01', schedulePartId: '' },
      reviseInvoiceDraft: { buildId: BUILD, invoiceId, lines: [line], taxRatePercent: '', taxRateCode: '', dueDate: '2027-01-01' },
      discardInvoiceDraft: { buildId: BUILD, invoiceId },
      issueInvoice: { buildId: BUILD, invoiceId, issueDate: '' },
      issueCreditNote: { buildId: BUILD, invoiceId, amount: usd('5.00'), reason: 'discount', settlement: 'CREDIT_NOTE_SETTLEMENT_REFUND' },
      voidInvoice: { buildId: BUILD, invoiceId, reason: 'duplicate' },
      markInvoiceUncollectible: { buildId: BUILD, invoiceId, reason: 'ghosted' },
      recordPayment: { buildId: BUILD, invoiceId, externalTransactionId: 'txn-2', method: 'PAYMENT_METHOD_CARD', amount: usd('1.00'), effectiveDate: '' },
      postPayment: { buildId: BUILD, paymentId, effectiveDate: '' },
      voidPayment: { buildId: BUILD, paymentId, reason: 'bounced' },
      expirePayment: { buildId: BUILD, paymentId },
      refundPayment: { buildId: BUILD, paymentId, amount: usd('1.00'), reason: 'album', effectiveDate: '' },
      reversePayment: { buildId: BUILD, paymentId, reason: 'typo' },
      applyCustomerCredit: { buildId: BUILD, invoiceId, amount: usd('1.00') },
      recordExpense: { buildId: BUILD, category: 'travel', description: '', amount: usd('3.00'), receiptUrl: '', effectiveDate: '' },
      voidExpense: { buildId: BUILD, expenseId: 'x', reason: 'dup' },
      setPaymentSchedule: { buildId: BUILD, parts: [{ label: 'All', percent: '100', anchor: 'SCHEDULE_ANCHOR_FIXED', offsetDays: 0, fixedDate: '2027-01-01' }] },
      replanPaymentSchedule: { buildId: BUILD },
      setTaxRates: { rates: [{ code: 'standard', name: 'Tax', percent: '8' }] },
    };
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMANDS), fc.nat(), value, async (method, which, hostile) => {
        const base = bases[method];
        const keys = Object.keys(base);
        const key = keys[which % keys.length]!;
        const body = { ...base, [key]: hostile };
        const before = (await store.readAll({ limit: 100_000 })).length;
        try {
          await (commands[method] as (c: CommandContext, r: unknown) => Promise<unknown>).call(commands, ctx(body), body);
          accepted++;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          expect((await store.readAll({ limit: 100_000 })).length).toBe(before);
        }
      }),
      { numRuns: Number(process.env.LEDGER_EDGE_RUNS ?? 1_500), ...replay },
    );
    // The generator reaches past validation too (a hostile value that happens to be valid).
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);
});
