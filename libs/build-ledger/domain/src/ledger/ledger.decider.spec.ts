import { deciderSpecification, DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { credit, debit, journalEntry, ledgerFigures, trialBalance, type JournalEntry } from './journal';
import { BUILD, cmd, facts, line, NOW, payment, run, TENANT, usd } from './ledger.fixtures';
import { amountDue, decideLedger, invoiceStatus, ledgerDecider, type LedgerState } from './ledger.decider';
import type { LedgerEvent } from './ledger.events';
import { paymentIdOf } from './streams';

const spec = deciderSpecification(ledgerDecider);
const entriesOf = (events: readonly LedgerEvent[]): JournalEntry[] => events.flatMap((e) => ('entry' in e.data && e.data.entry ? [e.data.entry] : []));
const invoice = (state: LedgerState, id = 'inv-1') => state.invoices[id]!;
const thrown = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

// 19.99 × 3 taxable, 100.00 untaxed, a 10.00 service charge taxable, at 8.25 %: tax per line 4.947525 → 4.95 and 0.825 → 0.83.
const draft = cmd({
  type: 'DraftInvoice',
  data: {
    invoiceId: 'inv-1',
    build: facts(),
    lines: [line(19_99, '3'), line(100_00, '1', false, { description: 'Coverage' }), line(10_00, '1', true, { kind: 'service_charge', description: 'Service charge' })],
    taxRatePercent: '8.25',
    dueDate: '2026-03-31',
  },
});
const issue = (invoiceId = 'inv-1', number = 1) => cmd({ type: 'IssueInvoice', data: { invoiceId, number, issueDate: null } });
const issued = () => run([draft, issue()]);

describe('build ledger', () => {
  describe('invoices', () => {
    it('prices each line and its tax once (half away from zero), and a draft has no number', () => {
      const { state, events } = run([draft]);
      expect(events).toHaveLength(1);
      const i = invoice(state);
      const drafted = events[0]!;
      expect(drafted.type === 'InvoiceDrafted' && drafted.data.lines.map((l) => [l.amountMinor, l.taxMinor])).toEqual([
        [59_97, 4_95],
        [100_00, 0],
        [10_00, 83],
      ]);
      expect([i.subtotalMinor, i.taxMinor, i.totalMinor]).toEqual([169_97, 5_78, 175_75]);
      expect(i.number).toBeNull();
      expect(invoiceStatus(i)).toBe('draft');
      expect(state.balances.receivables).toBe(0);
    });

    it('issues with the assigned number and a balanced entry: receivables against revenue and tax payable', () => {
      const { state, events } = issued();
      const issuedEvent = events[1]!;
      expect(issuedEvent.type).toBe('InvoiceIssued');
      expect(issuedEvent.type === 'InvoiceIssued' && issuedEvent.data.invoiceNumber).toBe('INV-000001');
      expect(issuedEvent.type === 'InvoiceIssued' && issuedEvent.data.entry.postings).toEqual([
        { account: 'receivables', side: 'debit', amountMinor: 175_75 },
        { account: 'revenue', side: 'credit', amountMinor: 169_97 },
        { account: 'tax_payable', side: 'credit', amountMinor: 5_78 },
      ]);
      expect(invoiceStatus(invoice(state))).toBe('issued');
      expect(amountDue(invoice(state))).toBe(175_75);
    });

    it('never edits an issued invoice, nor issues it twice', () => {
      const { events } = issued();
      spec.given(events).when(cmd({ type: 'ReviseInvoiceDraft', data: { invoiceId: 'inv-1', lines: [line(1_00)], taxRatePercent: null, dueDate: '2026-03-31' } })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given(events).when(issue('inv-1', 2)).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given(events).when(cmd({ type: 'DiscardInvoiceDraft', data: { invoiceId: 'inv-1' } })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('revises and discards drafts (a discarded draft took no number)', () => {
      const { state } = run([draft, cmd({ type: 'ReviseInvoiceDraft', data: { invoiceId: 'inv-1', lines: [line(50_00, '2', false)], taxRatePercent: null, dueDate: '2026-04-30' } })]);
      expect(invoice(state).totalMinor).toBe(100_00);
      const discarded = run([draft, cmd({ type: 'DiscardInvoiceDraft', data: { invoiceId: 'inv-1' } })]);
      expect(() => run([issue()], discarded)).toThrow(DomainError);
    });

    it('writes nothing when one line is invalid, and names every bad field (atomicity)', () => {
      const bad = cmd({
        type: 'DraftInvoice',
        data: { invoiceId: 'inv-1', build: facts(), lines: [line(10_00), line(-5, '1'), line(10_00, '0'), { ...line(1), unitPrice: { amountMinor: 100, currency: 'EUR' } }], taxRatePercent: '101', dueDate: '2026-02-30' },
      });
      spec.given([]).when(bad).thenThrows(DomainErrorCode.InvalidArgument, ['lines[1].unitPrice', 'lines[2].quantity', 'lines[3].unitPrice', 'taxRatePercent', 'dueDate']);
    });

    it('voids an unpaid invoice with the exact reversing entry, and refuses to void a paid one', () => {
      const { events } = issued();
      const voided = run([cmd({ type: 'VoidInvoice', data: { invoiceId: 'inv-1', reason: 'duplicate' } })], { events, state: issued().state });
      expect(invoiceStatus(invoice(voided.state))).toBe('void');
      expect(ledgerFigures(entriesOf(voided.events))).toMatchObject({ balanceDueMinor: 0, revenueMinor: 0, taxPayableMinor: 0 });
      const paid = run([cmd(payment('inv-1', 10_00, 'txn-1'))], issued());
      expect(() => run([cmd({ type: 'VoidInvoice', data: { invoiceId: 'inv-1', reason: 'x' } })], paid)).toThrow(/has payments/);
    });

    it('writes an open invoice off as uncollectible: receivables to expenses', () => {
      const { state, events } = run([cmd(payment('inv-1', 75_75, 'txn-1')), cmd({ type: 'MarkInvoiceUncollectible', data: { invoiceId: 'inv-1', reason: 'client ghosted' } })], issued());
      expect(invoiceStatus(invoice(state))).toBe('uncollectible');
      expect(ledgerFigures(entriesOf(events))).toMatchObject({ balanceDueMinor: 0, expensesMinor: 100_00, totalPaidMinor: 75_75 });
      expect(() => run([cmd(payment('inv-1', 1_00, 'txn-2'))], { state })).toThrow(/uncollectible/);
    });
  });

  describe('credit notes', () => {
    it('before payment, lower the amount due, crediting revenue and tax in the invoice\'s proportion', () => {
      const { state, events } = run([cmd({ type: 'IssueCreditNote', data: { invoiceId: 'inv-1', creditNoteId: 'cn-1', amount: usd(50_00), reason: 'discount', settlement: 'customer_credit' } })], issued());
      const note = events.at(-1)!;
      expect(note.type === 'CreditNoteIssued' && [note.data.revenueMinor, note.data.taxMinor, note.data.reducedDueMinor, note.data.toCreditMinor]).toEqual([48_36, 1_64, 50_00, 0]);
      expect(amountDue(invoice(state))).toBe(125_75);
      expect(invoiceStatus(invoice(state))).toBe('issued');
    });

    it('after payment, become customer credit or a refund, as asked', () => {
      const paid = run([cmd(payment('inv-1', 175_75, 'txn-1'))], issued());
      const asCredit = run([cmd({ type: 'IssueCreditNote', data: { invoiceId: 'inv-1', creditNoteId: 'cn-1', amount: usd(25_00), reason: 'late delivery', settlement: 'customer_credit' } })], paid);
      expect(ledgerFigures(entriesOf(asCredit.events))).toMatchObject({ customerCreditMinor: 25_00, totalPaidMinor: 175_75, balanceDueMinor: 0 });
      const asRefund = run([cmd({ type: 'IssueCreditNote', data: { invoiceId: 'inv-1', creditNoteId: 'cn-1', amount: usd(25_00), reason: 'late delivery', settlement: 'refund' } })], paid);
      expect(ledgerFigures(entriesOf(asRefund.events))).toMatchObject({ customerCreditMinor: 0, totalPaidMinor: 150_75, balanceDueMinor: 0 });
      expect(invoiceStatus(invoice(asRefund.state))).toBe('paid');
    });

    it('never credit more than is left of the invoice', () => {
      const error = thrown(() => run([cmd({ type: 'IssueCreditNote', data: { invoiceId: 'inv-1', creditNoteId: 'cn-1', amount: usd(175_76), reason: 'x', settlement: 'refund' } })], issued()));
      expect(error.fieldViolations.map((v) => v.field)).toEqual(['amount']);
    });
  });

  describe('payments', () => {
    it('settles the invoice, and an overpayment becomes customer credit derived from the journal (documented: never refused)', () => {
      const { state, events } = run([cmd(payment('inv-1', 200_00, 'txn-1'))], issued());
      const recorded = events.at(-1)!;
      expect(recorded.type === 'PaymentRecorded' && [recorded.data.appliedMinor, recorded.data.creditMinor]).toEqual([175_75, 24_25]);
      expect(invoiceStatus(invoice(state))).toBe('paid');
      expect(ledgerFigures(entriesOf(events))).toMatchObject({ totalPaidMinor: 200_00, balanceDueMinor: 0, customerCreditMinor: 24_25 });
    });

    it('records the same external transaction id once: same data is the original payment, other data ALREADY_EXISTS', () => {
      const { state, events } = run([cmd(payment('inv-1', 100_00, 'txn-1'))], issued());
      expect(decideLedger(cmd(payment('inv-1', 100_00, 'txn-1'), { requestId: 'request-2' }), state)).toEqual([]);
      spec.given(events).when(cmd(payment('inv-1', 100_01, 'txn-1'), { requestId: 'request-2' })).thenThrows(DomainErrorCode.AlreadyExists);
      expect(Object.keys(state.payments)).toEqual([paymentIdOf(TENANT, 'txn-1')]);
    });

    it('keeps a bank transfer pending until it is posted (once), voided or expired', () => {
      const pending = run([cmd(payment('inv-1', 175_75, 'wire-1', 'bank_transfer'))], issued());
      const id = paymentIdOf(TENANT, 'wire-1');
      expect(invoiceStatus(invoice(pending.state))).toBe('issued');
      expect(pending.state.payments[id]).toMatchObject({ status: 'pending', expiresAt: '2026-03-16T09:30:00.000Z', entry: null });
      const posted = run([cmd({ type: 'PostPayment', data: { paymentId: id, effectiveDate: '2026-03-05' } })], pending);
      expect(invoiceStatus(invoice(posted.state))).toBe('paid');
      expect(posted.state.payments[id]!.entry!.effectiveDate).toBe('2026-03-05');
      for (const again of [cmd({ type: 'PostPayment', data: { paymentId: id, effectiveDate: null } }), cmd({ type: 'VoidPayment', data: { paymentId: id, reason: 'bounced' } }), cmd({ type: 'ExpirePayment', data: { paymentId: id } })]) {
        expect(thrown(() => run([again], posted)).code).toBe(DomainErrorCode.FailedPrecondition);
      }
      expect(thrown(() => run([cmd({ type: 'ExpirePayment', data: { paymentId: id } })], pending)).code).toBe(DomainErrorCode.FailedPrecondition);
      const expired = run([cmd({ type: 'ExpirePayment', data: { paymentId: id } }, { now: new Date('2026-03-16T09:30:00.000Z') })], pending);
      expect(expired.state.payments[id]!.status).toBe('expired');
      expect(ledgerFigures(entriesOf(expired.events)).totalPaidMinor).toBe(0);
    });

    it('keeps the effective date apart from the recorded date (a cheque recorded a week late)', () => {
      const { events } = run([cmd(payment('inv-1', 50_00, 'chq-1', 'card', '2026-02-23'))], issued());
      const e = entriesOf(events).at(-1)!;
      expect([e.effectiveDate, e.recordedAt]).toEqual(['2026-02-23', NOW.toISOString()]);
    });

    it('refunds never exceed what was paid: from credit first, then re-opening the invoice', () => {
      const paid = run([cmd(payment('inv-1', 200_00, 'txn-1'))], issued());
      const id = paymentIdOf(TENANT, 'txn-1');
      const refund = (refundId: string, minor: number) => cmd({ type: 'RefundPayment', data: { paymentId: id, refundId, amount: usd(minor), effectiveDate: null, reason: 'cancelled album' } });
      const { state, events } = run([refund('r-1', 30_00)], paid);
      const refunded = events.at(-1)!;
      expect(refunded.type === 'PaymentRefunded' && [refunded.data.fromCreditMinor, refunded.data.fromInvoiceMinor]).toEqual([24_25, 5_75]);
      expect(amountDue(invoice(state))).toBe(5_75);
      expect(invoiceStatus(invoice(state))).toBe('partially_paid');
      expect(thrown(() => run([refund('r-2', 170_01)], { state })).fieldViolations[0]?.field).toBe('amount');
      const all = run([refund('r-2', 170_00)], { state, events });
      expect(ledgerFigures(entriesOf(all.events))).toMatchObject({ totalPaidMinor: 0, balanceDueMinor: 175_75, customerCreditMinor: 0 });
      expect(thrown(() => run([refund('r-2', 1)], all)).code).toBe(DomainErrorCode.AlreadyExists);
    });

    it('corrects a mis-keyed payment with a reversing entry, never an edit', () => {
      const paid = run([cmd(payment('inv-1', 1_757_50, 'txn-typo'))], issued());
      const id = paymentIdOf(TENANT, 'txn-typo');
      const { state, events } = run([cmd({ type: 'ReversePayment', data: { paymentId: id, reason: 'keyed 1757.50 for 175.75' } })], paid);
      const [original, reversal] = entriesOf(events).slice(-2);
      expect(reversal!.postings).toEqual(original!.postings.map((p) => ({ ...p, side: p.side === 'debit' ? 'credit' : 'debit' })));
      expect(state.payments[id]!.status).toBe('reversed');
      expect(amountDue(invoice(state))).toBe(175_75);
      expect(ledgerFigures(entriesOf(events))).toMatchObject({ totalPaidMinor: 0, customerCreditMinor: 0 });
    });

    it('never re-opens a written-off invoice: its payment is refunded only from credit, and not reversed', () => {
      const paid = run([cmd(payment('inv-1', 50_00, 'txn-1')), cmd({ type: 'MarkInvoiceUncollectible', data: { invoiceId: 'inv-1', reason: 'ghosted' } })], issued());
      const id = paymentIdOf(TENANT, 'txn-1');
      expect(thrown(() => run([cmd({ type: 'RefundPayment', data: { paymentId: id, refundId: 'r-1', amount: usd(1), effectiveDate: null, reason: 'x' } })], paid)).fieldViolations[0]?.field).toBe('amount');
      expect(thrown(() => run([cmd({ type: 'ReversePayment', data: { paymentId: id, reason: 'typo' } })], paid)).code).toBe(DomainErrorCode.FailedPrecondition);
    });

    it('refuses to reverse a payment part of which a credit note refunded (the invoice would owe more than it bills)', () => {
      const paid = run([cmd(payment('inv-1', 175_75, 'txn-1')), cmd({ type: 'IssueCreditNote', data: { invoiceId: 'inv-1', creditNoteId: 'cn-1', amount: usd(5_00), reason: 'late', settlement: 'refund' } })], issued());
      expect(thrown(() => run([cmd({ type: 'ReversePayment', data: { paymentId: paymentIdOf(TENANT, 'txn-1'), reason: 'typo' } })], paid)).code).toBe(DomainErrorCode.FailedPrecondition);
    });

    it('applies customer credit to another invoice, up to the credit and the amount due', () => {
      const second = cmd({ type: 'DraftInvoice', data: { invoiceId: 'inv-2', build: facts(), lines: [line(40_00, '1', false)], taxRatePercent: null, dueDate: '2026-04-30' } });
      const withCredit = run([cmd(payment('inv-1', 200_00, 'txn-1')), second, issue('inv-2', 2)], issued());
      expect(thrown(() => run([cmd({ type: 'ApplyCustomerCredit', data: { invoiceId: 'inv-2', amount: usd(24_26) } })], withCredit)).code).toBe(DomainErrorCode.InvalidArgument);
      const { state, events } = run([cmd({ type: 'ApplyCustomerCredit', data: { invoiceId: 'inv-2', amount: usd(24_25) } })], withCredit);
      expect(amountDue(invoice(state, 'inv-2'))).toBe(15_75);
      expect(ledgerFigures(entriesOf(events))).toMatchObject({ customerCreditMinor: 0, totalPaidMinor: 200_00, balanceDueMinor: 15_75 });
    });

    it('refuses a payment to a draft, in another currency, or of nothing', () => {
      expect(thrown(() => run([cmd(payment('inv-1', 10_00, 'txn-1'))], run([draft]))).code).toBe(DomainErrorCode.FailedPrecondition);
      const eur = { ...payment('inv-1', 10_00, 'txn-1'), data: { ...payment('inv-1', 10_00, 'txn-1').data, amount: { amountMinor: 10_00, currency: 'EUR' } } } as Parameters<typeof cmd>[0];
      expect(thrown(() => run([cmd(eur)], issued())).fieldViolations.map((v) => v.field)).toEqual(['amount']);
      expect(thrown(() => run([cmd(payment('inv-1', 0, 'txn-1'))], issued())).fieldViolations.map((v) => v.field)).toEqual(['amount']);
    });
  });

  describe('expenses and profitability', () => {
    it('books an expense against cash; profit is revenue less expenses, total paid unchanged', () => {
      const expense = cmd({ type: 'RecordExpense', data: { build: facts(), expenseId: 'exp-1', category: 'travel', description: 'Train', amount: usd(30_00), receiptUrl: 'https://receipts.example/1', effectiveDate: null } });
      const { events } = run([cmd(payment('inv-1', 175_75, 'txn-1')), expense], issued());
      expect(ledgerFigures(entriesOf(events))).toMatchObject({ totalPaidMinor: 175_75, revenueMinor: 169_97, expensesMinor: 30_00, profitMinor: 139_97, cashMinor: 145_75 });
      const voided = run([cmd({ type: 'VoidExpense', data: { expenseId: 'exp-1', reason: 'duplicate' } })], { events, state: run([cmd(payment('inv-1', 175_75, 'txn-1')), expense], issued()).state });
      expect(ledgerFigures(entriesOf(voided.events))).toMatchObject({ expensesMinor: 0, totalPaidMinor: 175_75 });
      spec.given([]).when({ ...expense, data: { ...expense.data, receiptUrl: 'ftp://x', category: ' ' } } as typeof expense).thenThrows(DomainErrorCode.InvalidArgument, ['category', 'receiptUrl']);
    });
  });

  describe('payment schedule', () => {
    const parts = [
      { label: 'Deposit', percent: '30', anchor: 'booking' as const, offsetDays: 0, fixedDate: null },
      { label: 'Balance', percent: '70', anchor: 'event_date' as const, offsetDays: -30, fixedDate: null },
    ];
    it('splits the approved total exactly (leftover cents to the largest share) with due dates from booking and the event date', () => {
      const { state } = run([cmd({ type: 'SetPaymentSchedule', data: { build: facts({ approvedTotal: usd(1_000_03) }), parts } })]);
      expect(state.schedule!.map((p) => [p.amountMinor, p.dueDate])).toEqual([
        [300_00, '2026-03-01'],
        [700_03, '2026-08-13'],
      ]);
    });

    it('in thirds, gives the leftover cent to the largest share', () => {
      const thirds = ['33.3333', '33.3333', '33.3334'].map((percent) => ({ label: 'Part', percent, anchor: 'fixed' as const, offsetDays: 0, fixedDate: '2026-05-01' }));
      const { state } = run([cmd({ type: 'SetPaymentSchedule', data: { build: facts({ approvedTotal: usd(100_00) }), parts: thirds } })]);
      expect(state.schedule!.map((p) => p.amountMinor)).toEqual([33_33, 33_33, 33_34]);
      expect(state.schedule!.reduce((s, p) => s + p.amountMinor, 0)).toBe(100_00);
    });

    it('refuses shares that do not add up to 100 and anchors the build lacks', () => {
      spec
        .given([])
        .when(cmd({ type: 'SetPaymentSchedule', data: { build: facts({ bookedAt: null }), parts: [{ ...parts[0]!, percent: '20' }, parts[1]!] } }))
        .thenThrows(DomainErrorCode.InvalidArgument, ['parts', 'parts[0].anchor']);
      spec.given([]).when(cmd({ type: 'SetPaymentSchedule', data: { build: facts({ approvedTotal: null }), parts } })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('moves due dates with the event date, keeps what is invoiced and re-allocates the rest of a new total', () => {
      const set = run([cmd({ type: 'SetPaymentSchedule', data: { build: facts(), parts } })]);
      const deposit = cmd({ type: 'DraftInvoice', data: { invoiceId: 'dep', build: facts(), lines: [line(300_00, '1', false)], taxRatePercent: null, dueDate: '2026-03-01', schedulePartId: 'part-1' } });
      const moved = run([deposit, cmd({ type: 'ReplanPaymentSchedule', data: { build: facts({ eventDate: '2026-10-10', approvedTotal: usd(900_00) }) } })], set);
      expect(moved.state.schedule!.map((p) => [p.amountMinor, p.dueDate])).toEqual([
        [300_00, '2026-03-01'],
        [600_00, '2026-09-10'],
      ]);
      expect(decideLedger(cmd({ type: 'ReplanPaymentSchedule', data: { build: facts({ eventDate: '2026-10-10', approvedTotal: usd(900_00) }) } }), moved.state)).toEqual([]);
      // A schedule read back from the store (jsonb reorders keys) is the same schedule.
      const reordered = { ...moved.state, schedule: moved.state.schedule!.map((p) => Object.fromEntries(Object.entries(p).reverse()) as typeof p) };
      expect(decideLedger(cmd({ type: 'ReplanPaymentSchedule', data: { build: facts({ eventDate: '2026-10-10', approvedTotal: usd(900_00) }) } }), reordered)).toEqual([]);
    });
  });

  describe('the journal', () => {
    it('refuses an unbalanced entry, and a whole history has a zero trial balance', () => {
      expect(() => journalEntry({ entryId: 'x', kind: 'payment', currency: 'USD', effectiveDate: '2026-03-02', recordedAt: NOW.toISOString(), memo: '', postings: [debit('cash', usd(100)), credit('revenue', usd(99))] })).toThrow(/does not balance/);
      const { events } = run([cmd(payment('inv-1', 200_00, 'txn-1'))], issued());
      expect(trialBalance(entriesOf(events))).toEqual({ USD: 0 });
    });

    it('takes ids named like object members for unknown ids', () => {
      const { events } = issued();
      for (const id of ['constructor', 'valueOf', 'toString', '__proto__']) {
        spec.given(events).when(cmd({ type: 'VoidExpense', data: { expenseId: id, reason: 'x' } })).thenThrows(DomainErrorCode.NotFound);
        spec.given(events).when(cmd({ type: 'IssueInvoice', data: { invoiceId: id, number: 2, issueDate: null } })).thenThrows(DomainErrorCode.NotFound);
        spec.given(events).when(cmd({ type: 'PostPayment', data: { paymentId: id, effectiveDate: null } })).thenThrows(DomainErrorCode.NotFound);
      }
    });

    it('refuses a command for another build on this ledger', () => {
      const { events } = issued();
      spec.given(events).when({ ...issue(), data: { ...issue().data, buildId: `${BUILD}-other` } } as ReturnType<typeof issue>).thenThrows(DomainErrorCode.NotFound);
    });
  });
});
