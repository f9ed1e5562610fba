import { ledgerBuildLedgerEventsV1 } from '@projectflo/contracts';
import { ledgerDecider } from './ledger.decider';
import type { LedgerEvent } from './ledger.events';
import { cmd, facts, line, NOW, payment, run, usd } from './ledger.fixtures';
import { paymentIdOf } from './streams';

const { ledgerBuildLedgerEventContractsV1: contracts } = ledgerBuildLedgerEventsV1;

/** A history with every event type the ledger emits. */
function everyEvent(): LedgerEvent[] {
  const later = { now: new Date(NOW.getTime() + 15 * 86_400_000) };
  const schedule = [
    { label: 'Deposit', percent: '30', anchor: 'booking' as const, offsetDays: 0, fixedDate: null },
    { label: 'Balance', percent: '70', anchor: 'event_date' as const, offsetDays: -30, fixedDate: null },
  ];
  const draft = (invoiceId: string, partId: string | null = null) => cmd({ type: 'DraftInvoice', data: { invoiceId, build: facts(), lines: [line(100_00), line(5_00, '2', false, { kind: 'late_fee' })], taxRatePercent: '8.25', dueDate: '2026-04-30', schedulePartId: partId } });
  const { events } = run([
    cmd({ type: 'SetPaymentSchedule', data: { build: facts(), parts: schedule } }),
    draft('inv-1', 'part-1'),
    cmd({ type: 'ReviseInvoiceDraft', data: { invoiceId: 'inv-1', lines: [line(300_00, '1', false)], taxRatePercent: null, dueDate: '2026-04-30', schedulePartId: 'part-1' } }),
    cmd({ type: 'IssueInvoice', data: { invoiceId: 'inv-1', number: 1, issueDate: null } }),
    draft('inv-2'),
    cmd({ type: 'DiscardInvoiceDraft', data: { invoiceId: 'inv-2' } }),
    draft('inv-3'),
    cmd({ type: 'IssueInvoice', data: { invoiceId: 'inv-3', number: 2, issueDate: null } }),
    cmd({ type: 'VoidInvoice', data: { invoiceId: 'inv-3', reason: 'duplicate' } }),
    draft('inv-4'),
    cmd({ type: 'IssueInvoice', data: { invoiceId: 'inv-4', number: 3, issueDate: null } }),
    cmd({ type: 'MarkInvoiceUncollectible', data: { invoiceId: 'inv-4', reason: 'ghosted' } }),
    cmd(payment('inv-1', 350_00, 'txn-1')),
    cmd(payment('inv-1', 10_00, 'wire-1', 'bank_transfer')),
    cmd({ type: 'PostPayment', data: { paymentId: paymentIdOf('tenant-a', 'wire-1'), effectiveDate: null } }),
    cmd(payment('inv-1', 10_00, 'wire-2', 'bank_transfer')),
    cmd({ type: 'VoidPayment', data: { paymentId: paymentIdOf('tenant-a', 'wire-2'), reason: 'bounced' } }),
    cmd(payment('inv-1', 10_00, 'wire-3', 'bank_transfer')),
    cmd({ type: 'ExpirePayment', data: { paymentId: paymentIdOf('tenant-a', 'wire-3') } }, later),
    cmd({ type: 'IssueCreditNote', data: { invoiceId: 'inv-1', creditNoteId: 'cn-1', amount: usd(5_00), reason: 'discount', settlement: 'customer_credit' } }),
    cmd({ type: 'RefundPayment', data: { paymentId: paymentIdOf('tenant-a', 'txn-1'), refundId: 'r-1', amount: usd(10_00), effectiveDate: null, reason: 'album' } }),
    cmd(payment('inv-1', 1_00, 'txn-typo')),
    cmd({ type: 'ReversePayment', data: { paymentId: paymentIdOf('tenant-a', 'txn-typo'), reason: 'typo' } }),
    draft('inv-5'),
    cmd({ type: 'IssueInvoice', data: { invoiceId: 'inv-5', number: 4, issueDate: null } }),
    cmd({ type: 'ApplyCustomerCredit', data: { invoiceId: 'inv-5', amount: usd(1_00) } }),
    cmd({ type: 'RecordExpense', data: { build: facts(), expenseId: 'exp-1', category: 'travel', description: 'Train', amount: usd(30_00), receiptUrl: null, effectiveDate: null } }),
    cmd({ type: 'VoidExpense', data: { expenseId: 'exp-1', reason: 'duplicate' } }),
    cmd({ type: 'ReplanPaymentSchedule', data: { build: facts({ eventDate: '2026-10-10' }) } }),
  ]);
  return events;
}

describe('ledger.build-ledger.v1 contracts', () => {
  const events = everyEvent();

  it('covers every event type the decider emits, with its schema version', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(ledgerDecider.schemaVersions)));
    for (const [type, version] of Object.entries(ledgerDecider.schemaVersions)) expect([type, contracts[type as keyof typeof contracts].schemaVersion]).toEqual([type, version]);
  });

  it('accepts every event the decider emits, as JSON', () => {
    for (const event of events) {
      const parsed = contracts[event.type].schema.safeParse(JSON.parse(JSON.stringify(event.data)));
      expect([event.type, parsed.success ? 'ok' : parsed.error.issues]).toEqual([event.type, 'ok']);
    }
  });

  it('refuses an entry that does not balance', () => {
    const issued = events.find((e) => e.type === 'InvoiceIssued')!;
    const data = JSON.parse(JSON.stringify(issued.data));
    data.entry.postings[0].amountMinor += 1;
    expect(contracts.InvoiceIssued.schema.safeParse(data).success).toBe(false);
  });
});
