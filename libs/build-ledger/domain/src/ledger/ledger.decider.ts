import { assertNever, type CommandMetadata, defineDecider, DomainError, Violations } from '@projectflo/platform/core';
import { DateTime } from 'luxon';
import { allocate, lineAmount, type Money, money, parsePercent, percentOf } from '../money/money';
import type { BuildFacts } from './build-facts';
import { type Account, assertCurrency, credit, debit, type EntryKind, type JournalEntry, journalEntry, post, reversalOf, emptyBalances, type AccountBalances } from './journal';
import type {
  ApplyCustomerCredit,
  DraftInvoice,
  InvoiceLineInput,
  IssueCreditNote,
  IssueInvoice,
  LedgerCommand,
  RecordExpense,
  RecordPayment,
  RefundPayment,
  ReviseInvoiceDraft,
  SchedulePartInput,
  SetPaymentSchedule,
} from './ledger.commands';
import { INVOICE_LINE_KINDS, type InvoiceContent, type InvoiceLine, type LedgerEvent, PAYMENT_METHODS, type PaymentMethod, SCHEDULE_ANCHORS, type SchedulePart } from './ledger.events';
import { own } from '../shared/records';

/** Bounds of the ledger (the gRPC edge applies the same). */
export const LEDGER_LIMITS = {
  id: 128,
  description: 500,
  reason: 1_000,
  category: 100,
  lines: 200,
  receiptUrl: 2_048,
  externalTransactionId: 200,
  scheduleParts: 24,
  offsetDays: 3_660,
  invoices: 500,
  payments: 2_000,
} as const;

/** A bank transfer not posted within this many days may be expired. */
export const PENDING_TRANSFER_DAYS = 14;

export const INVOICE_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * An invoice as the ledger keeps it: its amounts, not its lines (the lines are in the event that
 * priced them and in the invoice read model), so a build's ledger state stays small.
 */
export interface InvoiceState extends Omit<InvoiceContent, 'lines'> {
  readonly invoiceId: string;
  readonly lineCount: number;
  readonly lifecycle: 'draft' | 'discarded' | 'issued' | 'void' | 'uncollectible';
  readonly number: number | null;
  readonly invoiceNumber: string | null;
  readonly issueDate: string | null;
  /** Credit notes so far: in total, and the revenue and tax parts of it. */
  readonly creditedMinor: number;
  readonly creditedRevenueMinor: number;
  readonly creditedTaxMinor: number;
  /** Settled by payments and customer credit, net of refunds. */
  readonly paidMinor: number;
  readonly writtenOffMinor: number;
}

export type PaymentStatus = 'pending' | 'posted' | 'voided' | 'expired' | 'reversed';

export interface PaymentState {
  readonly paymentId: string;
  readonly invoiceId: string;
  readonly externalTransactionId: string;
  readonly method: PaymentMethod;
  readonly amountMinor: number;
  readonly effectiveDate: string;
  readonly fingerprint: string;
  readonly status: PaymentStatus;
  readonly expiresAt: string | null;
  readonly appliedMinor: number;
  readonly creditMinor: number;
  readonly refundedMinor: number;
  readonly refundedFromInvoiceMinor: number;
  readonly entry: JournalEntry | null;
}

export interface ExpenseState {
  readonly expenseId: string;
  readonly category: string;
  readonly effectiveDate: string;
  readonly amountMinor: number;
  readonly voided: boolean;
  readonly entry: JournalEntry;
}

/** A build's ledger: its invoices, payments, expenses, schedule and the balances of its journal. */
export interface LedgerState {
  readonly buildId: string | null;
  readonly currency: string | null;
  readonly invoices: Readonly<Record<string, InvoiceState>>;
  readonly payments: Readonly<Record<string, PaymentState>>;
  readonly expenses: Readonly<Record<string, ExpenseState>>;
  readonly refundIds: Readonly<Record<string, true>>;
  readonly creditNoteIds: Readonly<Record<string, true>>;
  readonly schedule: readonly SchedulePart[] | null;
  readonly balances: AccountBalances;
  readonly entries: number;
}

export const initialLedgerState = (): LedgerState => ({
  buildId: null,
  currency: null,
  invoices: {},
  payments: {},
  expenses: {},
  refundIds: {},
  creditNoteIds: {},
  schedule: null,
  balances: emptyBalances(),
  entries: 0,
});

/** What is still owed on an issued invoice. */
export const amountDue = (i: InvoiceState): number => (i.lifecycle === 'issued' ? i.totalMinor - i.creditedMinor - i.paidMinor - i.writtenOffMinor : 0);

/** The invoice's status, derived (never stored apart from its amounts). */
export function invoiceStatus(i: InvoiceState): InvoiceStatus {
  switch (i.lifecycle) {
    case 'draft':
    case 'discarded':
      return 'draft';
    case 'void':
      return 'void';
    case 'uncollectible':
      return 'uncollectible';
    case 'issued':
      return amountDue(i) === 0 ? 'paid' : i.paidMinor > 0 ? 'partially_paid' : 'issued';
    default:
      return assertNever(i.lifecycle, 'invoice lifecycle');
  }
}

export { own };

/** "INV-000042": how an invoice number is shown. */
export const formatInvoiceNumber = (n: number): string => `INV-${String(n).padStart(6, '0')}`;

const withEntry = (state: LedgerState, entry: JournalEntry | null): LedgerState => (entry ? { ...state, balances: post(state.balances, entry), entries: state.entries + 1 } : state);
const patchInvoice = (state: LedgerState, id: string, patch: (i: InvoiceState) => Partial<InvoiceState>): Record<string, InvoiceState> => {
  const current = own(state.invoices, id);
  return current ? { ...state.invoices, [id]: { ...current, ...patch(current) } } : { ...state.invoices };
};
const patchPayment = (state: LedgerState, id: string, patch: (p: PaymentState) => Partial<PaymentState>): Record<string, PaymentState> => {
  const current = own(state.payments, id);
  return current ? { ...state.payments, [id]: { ...current, ...patch(current) } } : { ...state.payments };
};

export function evolveLedger(state: LedgerState, event: LedgerEvent): LedgerState {
  const base = { ...state, buildId: event.data.buildId };
  switch (event.type) {
    case 'InvoiceDrafted': {
      const { tenantId: _t, buildId: _b, draftedBy: _by, draftedAt: _at, lines, ...content } = event.data;
      const invoice: InvoiceState = {
        ...content,
        lineCount: lines.length,
        lifecycle: 'draft',
        number: null,
        invoiceNumber: null,
        issueDate: null,
        creditedMinor: 0,
        creditedRevenueMinor: 0,
        creditedTaxMinor: 0,
        paidMinor: 0,
        writtenOffMinor: 0,
      };
      return { ...base, currency: event.data.currency, invoices: { ...state.invoices, [invoice.invoiceId]: invoice } };
    }
    case 'InvoiceDraftRevised': {
      const { tenantId: _t, buildId: _b, revisedAt: _at, invoiceId, lines, ...content } = event.data;
      return { ...base, invoices: patchInvoice(state, invoiceId, () => ({ ...content, lineCount: lines.length })) };
    }
    case 'InvoiceDraftDiscarded':
      return { ...base, invoices: patchInvoice(state, event.data.invoiceId, () => ({ lifecycle: 'discarded' })) };
    case 'InvoiceIssued': {
      const { invoiceId, number, invoiceNumber, issueDate, dueDate, entry } = event.data;
      return withEntry({ ...base, invoices: patchInvoice(state, invoiceId, () => ({ lifecycle: 'issued', number, invoiceNumber, issueDate, dueDate })) }, entry);
    }
    case 'CreditNoteIssued': {
      const { invoiceId, creditNoteId, amountMinor, revenueMinor, taxMinor, toCreditMinor, refundedMinor, entry } = event.data;
      const invoices = patchInvoice(state, invoiceId, (i) => ({
        creditedMinor: i.creditedMinor + amountMinor,
        creditedRevenueMinor: i.creditedRevenueMinor + revenueMinor,
        creditedTaxMinor: i.creditedTaxMinor + taxMinor,
        paidMinor: i.paidMinor - toCreditMinor - refundedMinor,
      }));
      return withEntry({ ...base, invoices, creditNoteIds: { ...state.creditNoteIds, [creditNoteId]: true } }, entry);
    }
    case 'InvoiceVoided':
      return withEntry({ ...base, invoices: patchInvoice(state, event.data.invoiceId, () => ({ lifecycle: 'void' })) }, event.data.entry);
    case 'InvoiceMarkedUncollectible': {
      const { invoiceId, writtenOffMinor, entry } = event.data;
      return withEntry({ ...base, invoices: patchInvoice(state, invoiceId, (i) => ({ lifecycle: 'uncollectible', writtenOffMinor: i.writtenOffMinor + writtenOffMinor })) }, entry);
    }
    case 'PaymentRecorded': {
      const d = event.data;
      const payment: PaymentState = {
        paymentId: d.paymentId,
        invoiceId: d.invoiceId,
        externalTransactionId: d.externalTransactionId,
        method: d.method,
        amountMinor: d.amountMinor,
        effectiveDate: d.effectiveDate,
        fingerprint: d.fingerprint,
        status: d.status,
        expiresAt: d.expiresAt,
        appliedMinor: d.appliedMinor,
        creditMinor: d.creditMinor,
        refundedMinor: 0,
        refundedFromInvoiceMinor: 0,
        entry: d.entry,
      };
      const invoices = patchInvoice(state, d.invoiceId, (i) => ({ paidMinor: i.paidMinor + d.appliedMinor }));
      return withEntry({ ...base, invoices, payments: { ...state.payments, [d.paymentId]: payment } }, d.entry);
    }
    case 'PaymentPosted': {
      const { paymentId, invoiceId, appliedMinor, creditMinor, effectiveDate, entry } = event.data;
      const invoices = patchInvoice(state, invoiceId, (i) => ({ paidMinor: i.paidMinor + appliedMinor }));
      return withEntry({ ...base, invoices, payments: patchPayment(state, paymentId, () => ({ status: 'posted', appliedMinor, creditMinor, effectiveDate, entry })) }, entry);
    }
    case 'PaymentVoided':
      return { ...base, payments: patchPayment(state, event.data.paymentId, () => ({ status: 'voided' })) };
    case 'PaymentExpired':
      return { ...base, payments: patchPayment(state, event.data.paymentId, () => ({ status: 'expired' })) };
    case 'PaymentRefunded': {
      const { paymentId, invoiceId, refundId, amountMinor, fromInvoiceMinor, entry } = event.data;
      const payments = patchPayment(state, paymentId, (p) => ({ refundedMinor: p.refundedMinor + amountMinor, refundedFromInvoiceMinor: p.refundedFromInvoiceMinor + fromInvoiceMinor }));
      const invoices = patchInvoice(state, invoiceId, (i) => ({ paidMinor: i.paidMinor - fromInvoiceMinor }));
      return withEntry({ ...base, payments, invoices, refundIds: { ...state.refundIds, [refundId]: true } }, entry);
    }
    case 'PaymentReversed': {
      const { paymentId, invoiceId, entry } = event.data;
      const applied = own(state.payments, paymentId)?.appliedMinor ?? 0;
      const invoices = patchInvoice(state, invoiceId, (i) => ({ paidMinor: i.paidMinor - applied }));
      return withEntry({ ...base, invoices, payments: patchPayment(state, paymentId, () => ({ status: 'reversed' })) }, entry);
    }
    case 'CustomerCreditApplied': {
      const { invoiceId, amountMinor, entry } = event.data;
      return withEntry({ ...base, invoices: patchInvoice(state, invoiceId, (i) => ({ paidMinor: i.paidMinor + amountMinor })) }, entry);
    }
    case 'ExpenseRecorded': {
      const { expenseId, amountMinor, entry, currency, category, effectiveDate } = event.data;
      return withEntry({ ...base, currency, expenses: { ...state.expenses, [expenseId]: { expenseId, category, effectiveDate, amountMinor, voided: false, entry } } }, entry);
    }
    case 'ExpenseVoided': {
      const current = own(state.expenses, event.data.expenseId);
      const expenses = current ? { ...state.expenses, [current.expenseId]: { ...current, voided: true } } : state.expenses;
      return withEntry({ ...base, expenses }, event.data.entry);
    }
    case 'PaymentScheduleSet':
      return { ...base, currency: event.data.currency, schedule: event.data.parts };
    case 'PaymentScheduleReplanned':
      return { ...base, schedule: event.data.parts };
    default:
      return assertNever(event, 'ledger event');
  }
}

// ───────────────────────────── decisions ─────────────────────────────

const dateOf = (m: CommandMetadata): string => m.now.toISOString().slice(0, 10);
const addDays = (date: string, days: number): string => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() ?? date;

function fact(command: LedgerCommand) {
  return { tenantId: command.metadata.tenantId, buildId: command.data.buildId };
}

function ledgerCurrency(state: LedgerState, build?: BuildFacts): string {
  const currency = state.currency ?? build?.currency;
  if (!currency) throw DomainError.precondition(`the ledger of build has no currency yet: draft an invoice or record an expense first`);
  return currency;
}

function entry(state: LedgerState, command: LedgerCommand, kind: EntryKind, memo: string, effectiveDate: string, postings: JournalEntry['postings'], currency: string): JournalEntry {
  return journalEntry({
    entryId: `${command.data.buildId}:${state.entries + 1}`,
    kind,
    currency,
    effectiveDate,
    recordedAt: command.metadata.now.toISOString(),
    memo,
    postings,
  });
}

function invoiceOf(state: LedgerState, invoiceId: string): InvoiceState {
  const invoice = own(state.invoices, invoiceId);
  if (!invoice || invoice.lifecycle === 'discarded') throw DomainError.notFound('invoice', invoiceId);
  return invoice;
}

function paymentOf(state: LedgerState, paymentId: string): PaymentState {
  const payment = own(state.payments, paymentId);
  if (!payment) throw DomainError.notFound('payment', paymentId);
  return payment;
}

/** A positive amount in the ledger's currency, at most `max` minor units when given. */
function positiveAmount(v: Violations, field: string, amount: Money, currency: string): number {
  if (amount.currency !== currency) v.add(field, `must be in ${currency}, the build's currency`);
  else if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) v.add(field, 'must be greater than 0');
  return amount.amountMinor;
}

function priceInvoice(v: Violations, input: { lines: readonly InvoiceLineInput[]; taxRatePercent: string | null; dueDate: string; schedulePartId?: string | null }, currency: string): InvoiceContent {
  if (input.lines.length === 0) v.add('lines', 'must have at least one line');
  if (input.lines.length > LEDGER_LIMITS.lines) v.add('lines', `must have at most ${LEDGER_LIMITS.lines} lines`);
  const rate = input.taxRatePercent === null ? null : parsePercent(v, 'taxRatePercent', input.taxRatePercent);
  const dueDate = v.date('dueDate', input.dueDate);
  const lines: InvoiceLine[] = [];
  input.lines.forEach((line, index) => {
    const at = `lines[${index}]`;
    const kind = v.oneOf(`${at}.kind`, line.kind, INVOICE_LINE_KINDS);
    const description = v.text(`${at}.description`, line.description, { max: LEDGER_LIMITS.description, required: true });
    const taxable = v.boolean(`${at}.taxable`, line.taxable);
    const before = v.count;
    if (line.unitPrice.currency !== currency) v.add(`${at}.unitPrice`, `must be in ${currency}, the build's currency`);
    else if (line.unitPrice.amountMinor < 0) v.add(`${at}.unitPrice`, 'must not be negative');
    if (!/^\d{1,9}(\.\d{1,3})?$/.test(line.quantity) || Number(line.quantity) <= 0) v.add(`${at}.quantity`, 'must be greater than 0 with at most 3 decimal places');
    if (v.count > before) return;
    const amount = lineAmount(line.unitPrice, line.quantity);
    const tax = rate !== null && taxable ? percentOf(amount, rate).amountMinor : 0;
    lines.push({ lineNo: index + 1, kind, description, unitPriceMinor: line.unitPrice.amountMinor, quantity: line.quantity, taxable, amountMinor: amount.amountMinor, taxMinor: tax });
  });
  v.throwIfAny();
  const subtotalMinor = lines.reduce((s, l) => s + l.amountMinor, 0);
  const taxMinor = lines.reduce((s, l) => s + l.taxMinor, 0);
  money(subtotalMinor + taxMinor, currency);
  return { currency, lines, taxRatePercent: rate, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor, dueDate, schedulePartId: input.schedulePartId ?? null };
}

function draftInvoice(command: DraftInvoice, state: LedgerState): LedgerEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('invoiceId', data.invoiceId, LEDGER_LIMITS.id);
  if (data.build.buildId !== data.buildId) throw DomainError.notFound('build', data.buildId);
  if (own(state.invoices, data.invoiceId)) throw DomainError.alreadyExists('invoice', data.invoiceId);
  if (Object.keys(state.invoices).length >= LEDGER_LIMITS.invoices) throw DomainError.precondition(`a build has at most ${LEDGER_LIMITS.invoices} invoices`);
  if (data.schedulePartId && !state.schedule?.some((p) => p.partId === data.schedulePartId)) v.add('schedulePartId', 'is not a part of the build\'s payment schedule');
  const content = priceInvoice(v, data, ledgerCurrency(state, data.build));
  return [{ type: 'InvoiceDrafted', data: { ...fact(command), invoiceId: data.invoiceId, ...content, draftedBy: metadata.actorId, draftedAt: metadata.now.toISOString() } }];
}

function reviseDraft(command: ReviseInvoiceDraft, state: LedgerState): LedgerEvent[] {
  const invoice = invoiceOf(state, command.data.invoiceId);
  if (invoice.lifecycle !== 'draft') throw DomainError.precondition(`invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is ${invoiceStatus(invoice)}: an issued invoice is never edited, issue a credit note instead`);
  const v = new Violations();
  const content = priceInvoice(v, command.data, invoice.currency);
  return [{ type: 'InvoiceDraftRevised', data: { ...fact(command), invoiceId: invoice.invoiceId, ...content, revisedAt: command.metadata.now.toISOString() } }];
}

function issueInvoice(command: IssueInvoice, state: LedgerState): LedgerEvent[] {
  const { data, metadata } = command;
  const invoice = invoiceOf(state, data.invoiceId);
  if (invoice.lifecycle !== 'draft') throw DomainError.precondition(`invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is already ${invoiceStatus(invoice)}`);
  if (invoice.totalMinor <= 0) throw DomainError.precondition('an invoice of zero cannot be issued');
  const v = new Violations();
  const issueDate = data.issueDate === null ? dateOf(metadata) : v.date('issueDate', data.issueDate);
  v.integer('number', data.number, { min: 1 });
  v.throwIfAny();
  if (invoice.dueDate < issueDate) throw DomainError.invalid({ field: 'dueDate', description: 'must not be before the issue date' });
  const total = money(invoice.totalMinor, invoice.currency);
  const posted = entry(state, command, 'invoice', `invoice ${formatInvoiceNumber(data.number)} issued`, issueDate, [
    debit('receivables', total),
    credit('revenue', money(invoice.subtotalMinor, invoice.currency)),
    credit('tax_payable', money(invoice.taxMinor, invoice.currency)),
  ], invoice.currency);
  return [
    {
      type: 'InvoiceIssued',
      data: { ...fact(command), invoiceId: invoice.invoiceId, number: data.number, invoiceNumber: formatInvoiceNumber(data.number), issueDate, dueDate: invoice.dueDate, issuedBy: metadata.actorId, entry: posted },
    },
  ];
}

function issueCreditNote(command: IssueCreditNote, state: LedgerState): LedgerEvent[] {
  const { data, metadata } = command;
  const invoice = invoiceOf(state, data.invoiceId);
  const v = new Violations();
  v.identifier('creditNoteId', data.creditNoteId, LEDGER_LIMITS.id);
  const reason = v.text('reason', data.reason, { max: LEDGER_LIMITS.reason, required: true });
  const amount = positiveAmount(v, 'amount', data.amount, invoice.currency);
  v.oneOf('settlement', data.settlement, ['customer_credit', 'refund'] as const);
  v.throwIfAny();
  if (own(state.creditNoteIds, data.creditNoteId)) throw DomainError.alreadyExists('credit note', data.creditNoteId);
  if (invoice.lifecycle !== 'issued') throw DomainError.precondition(`a credit note needs an issued invoice; this one is ${invoiceStatus(invoice)}`);
  const creditable = invoice.totalMinor - invoice.creditedMinor - invoice.writtenOffMinor;
  if (amount > creditable) throw DomainError.invalid({ field: 'amount', description: `must be at most ${creditable} minor units, what is left of the invoice to credit` });
  // Revenue and tax are credited in the invoice's proportion (allocation keeps every cent), within what is left of each.
  const remainingRevenue = invoice.subtotalMinor - invoice.creditedRevenueMinor;
  const remainingTax = invoice.taxMinor - invoice.creditedTaxMinor;
  let [revenue, tax] = invoice.taxMinor > 0 ? allocate(money(amount, invoice.currency), [invoice.subtotalMinor, invoice.taxMinor]).map((m) => m.amountMinor) : [amount, 0];
  if (tax! > remainingTax) [revenue, tax] = [revenue! + tax! - remainingTax, remainingTax];
  if (revenue! > remainingRevenue) [revenue, tax] = [remainingRevenue, tax! + revenue! - remainingRevenue];
  const reducedDue = Math.min(amount, amountDue(invoice));
  const beyond = amount - reducedDue;
  const toCredit = data.settlement === 'customer_credit' ? beyond : 0;
  const refunded = data.settlement === 'refund' ? beyond : 0;
  const c = invoice.currency;
  const posted = entry(state, command, 'credit_note', `credit note on ${invoice.invoiceNumber}: ${reason}`, dateOf(metadata), [
    debit('revenue', money(revenue!, c)),
    debit('tax_payable', money(tax!, c)),
    credit('receivables', money(reducedDue, c)),
    credit('customer_credit', money(toCredit, c)),
    credit('cash', money(refunded, c)),
  ], c);
  return [
    {
      type: 'CreditNoteIssued',
      data: { ...fact(command), invoiceId: invoice.invoiceId, creditNoteId: data.creditNoteId, amountMinor: amount, revenueMinor: revenue!, taxMinor: tax!, reducedDueMinor: reducedDue, toCreditMinor: toCredit, refundedMinor: refunded, reason, entry: posted },
    },
  ];
}

function recordPayment(command: RecordPayment, state: LedgerState): LedgerEvent[] {
  const { data, metadata } = command;
  const existing = own(state.payments, data.paymentId);
  if (existing) {
    // The same external transaction again: the same data is the original payment; other data is refused.
    if (existing.fingerprint === data.fingerprint) return [];
    throw new DomainError(
      DomainError.alreadyExists('payment', data.externalTransactionId).code,
      `external transaction ${data.externalTransactionId} was already recorded with other data (invoice, amount, method or date)`,
      [],
      { what: 'payment', id: data.paymentId },
    );
  }
  const invoice = invoiceOf(state, data.invoiceId);
  const v = new Violations();
  v.text('externalTransactionId', data.externalTransactionId, { max: LEDGER_LIMITS.externalTransactionId, required: true, trim: false });
  const method = v.oneOf('method', data.method, PAYMENT_METHODS);
  const amount = positiveAmount(v, 'amount', data.amount, invoice.currency);
  const effectiveDate = data.effectiveDate === null ? dateOf(metadata) : v.date('effectiveDate', data.effectiveDate);
  v.throwIfAny();
  if (invoice.lifecycle !== 'issued') throw DomainError.precondition(`invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is ${invoiceStatus(invoice)}: payments go to issued invoices`);
  if (Object.keys(state.payments).length >= LEDGER_LIMITS.payments) throw DomainError.precondition(`a build has at most ${LEDGER_LIMITS.payments} payments`);
  const common = { ...fact(command), paymentId: data.paymentId, invoiceId: invoice.invoiceId, externalTransactionId: data.externalTransactionId, method, currency: invoice.currency, amountMinor: amount, effectiveDate, fingerprint: data.fingerprint };
  if (method === 'bank_transfer') {
    const expiresAt = DateTime.fromJSDate(metadata.now, { zone: 'utc' }).plus({ days: PENDING_TRANSFER_DAYS }).toISO() ?? metadata.now.toISOString();
    return [{ type: 'PaymentRecorded', data: { ...common, status: 'pending', expiresAt, appliedMinor: 0, creditMinor: 0, entry: null } }];
  }
  const settled = settle(state, command, invoice, amount, effectiveDate, `payment ${data.externalTransactionId}`);
  return [{ type: 'PaymentRecorded', data: { ...common, status: 'posted', expiresAt: null, ...settled } }];
}

/**
 * A payment's money: up to the amount due settles the invoice, the rest (an overpayment) becomes the
 * customer's credit — documented: an overpayment is never refused, it is kept as credit.
 */
function settle(state: LedgerState, command: LedgerCommand, invoice: InvoiceState, amount: number, effectiveDate: string, memo: string) {
  const c = invoice.currency;
  const applied = Math.min(amount, amountDue(invoice));
  const creditMinor = amount - applied;
  const posted = entry(state, command, 'payment', memo, effectiveDate, [debit('cash', money(amount, c)), credit('receivables', money(applied, c)), credit('customer_credit', money(creditMinor, c))], c);
  return { appliedMinor: applied, creditMinor, entry: posted };
}

function pendingPayment(state: LedgerState, paymentId: string): PaymentState {
  const payment = paymentOf(state, paymentId);
  if (payment.status !== 'pending') throw DomainError.precondition(`payment ${payment.externalTransactionId} is ${payment.status}: a pending transfer resolves once`);
  return payment;
}

function refundPayment(command: RefundPayment, state: LedgerState): LedgerEvent[] {
  const { data, metadata } = command;
  const payment = paymentOf(state, data.paymentId);
  const currency = ledgerCurrency(state);
  const v = new Violations();
  v.identifier('refundId', data.refundId, LEDGER_LIMITS.id);
  const amount = positiveAmount(v, 'amount', data.amount, currency);
  const reason = v.text('reason', data.reason, { max: LEDGER_LIMITS.reason, required: true });
  const effectiveDate = data.effectiveDate === null ? dateOf(metadata) : v.date('effectiveDate', data.effectiveDate);
  v.throwIfAny();
  if (own(state.refundIds, data.refundId)) throw DomainError.alreadyExists('refund', data.refundId);
  if (payment.status !== 'posted') throw DomainError.precondition(`payment ${payment.externalTransactionId} is ${payment.status}: only posted payments are refunded`);
  // Drawn first from the customer's credit, then from what the payment settled on its invoice.
  const invoice = own(state.invoices, payment.invoiceId);
  const fromCredit = Math.min(amount, state.balances.customer_credit);
  // The invoice's part comes back only while the invoice is open: a void or written-off invoice is not re-opened.
  const invoiceRoom = invoice?.lifecycle === 'issued' ? Math.min(payment.appliedMinor - payment.refundedFromInvoiceMinor, invoice.paidMinor) : 0;
  const refundable = Math.min(payment.amountMinor - payment.refundedMinor, state.balances.customer_credit + Math.max(0, invoiceRoom));
  if (amount > refundable) throw DomainError.invalid({ field: 'amount', description: `must be at most ${refundable} minor units: a refund never exceeds what was paid and is still held` });
  const fromInvoice = amount - fromCredit;
  const posted = entry(state, command, 'refund', `refund of ${payment.externalTransactionId}: ${reason}`, effectiveDate, [
    debit('customer_credit', money(fromCredit, currency)),
    debit('receivables', money(fromInvoice, currency)),
    credit('cash', money(amount, currency)),
  ], currency);
  return [{ type: 'PaymentRefunded', data: { ...fact(command), paymentId: payment.paymentId, invoiceId: payment.invoiceId, refundId: data.refundId, amountMinor: amount, fromCreditMinor: fromCredit, fromInvoiceMinor: fromInvoice, effectiveDate, reason, entry: posted } }];
}

function applyCredit(command: ApplyCustomerCredit, state: LedgerState): LedgerEvent[] {
  const invoice = invoiceOf(state, command.data.invoiceId);
  const v = new Violations();
  const amount = positiveAmount(v, 'amount', command.data.amount, invoice.currency);
  v.throwIfAny();
  if (invoice.lifecycle !== 'issued') throw DomainError.precondition(`invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is ${invoiceStatus(invoice)}`);
  const limit = Math.min(state.balances.customer_credit, amountDue(invoice));
  if (amount > limit) throw DomainError.invalid({ field: 'amount', description: `must be at most ${limit} minor units (the customer's credit and the amount due)` });
  const c = invoice.currency;
  const posted = entry(state, command, 'credit_applied', `credit applied to ${invoice.invoiceNumber}`, dateOf(command.metadata), [debit('customer_credit', money(amount, c)), credit('receivables', money(amount, c))], c);
  return [{ type: 'CustomerCreditApplied', data: { ...fact(command), invoiceId: invoice.invoiceId, amountMinor: amount, entry: posted } }];
}

function recordExpense(command: RecordExpense, state: LedgerState): LedgerEvent[] {
  const { data, metadata } = command;
  if (data.build.buildId !== data.buildId) throw DomainError.notFound('build', data.buildId);
  const currency = ledgerCurrency(state, data.build);
  const v = new Violations();
  v.identifier('expenseId', data.expenseId, LEDGER_LIMITS.id);
  const category = v.text('category', data.category, { max: LEDGER_LIMITS.category, required: true });
  const description = v.text('description', data.description, { max: LEDGER_LIMITS.description });
  const amount = positiveAmount(v, 'amount', data.amount, currency);
  const receiptUrl = v.optionalText('receiptUrl', data.receiptUrl, { max: LEDGER_LIMITS.receiptUrl, pattern: /^https?:\/\/\S+$/, patternDescription: 'must be an http(s) URL' });
  const effectiveDate = data.effectiveDate === null ? dateOf(metadata) : v.date('effectiveDate', data.effectiveDate);
  v.throwIfAny();
  if (own(state.expenses, data.expenseId)) throw DomainError.alreadyExists('expense', data.expenseId);
  const posted = entry(state, command, 'expense', `expense: ${category}`, effectiveDate, [debit('expenses', money(amount, currency)), credit('cash', money(amount, currency))], currency);
  return [{ type: 'ExpenseRecorded', data: { ...fact(command), expenseId: data.expenseId, category, description, currency, amountMinor: amount, receiptUrl, effectiveDate, entry: posted } }];
}

// ─── payment schedule ───

/** Percent as an integer ratio in 1/10,000 of a percent ("12.5" → 125000): allocation needs whole ratios. */
const ratioOf = (percent: string): number => Math.round(Number(percent) * 10_000);

function dueDateOf(part: Pick<SchedulePartInput, 'anchor' | 'offsetDays' | 'fixedDate'>, bookedOn: string | null, eventDate: string | null): string | null {
  switch (part.anchor) {
    case 'booking':
      return bookedOn === null ? null : addDays(bookedOn, part.offsetDays);
    case 'event_date':
      return eventDate === null ? null : addDays(eventDate, part.offsetDays);
    case 'fixed':
      return part.fixedDate;
    default:
      return assertNever(part.anchor, 'schedule anchor');
  }
}

/**
 * The schedule's parts for a total: the amounts of parts already billed by a live invoice stay; the
 * rest of the total is allocated to the other parts by their shares (allocation: leftover cents to the
 * largest share first), so the parts always add up to the total exactly.
 */
export function planSchedule(rules: readonly (SchedulePartInput & { partId: string })[], totalMinor: number, currency: string, bookedOn: string | null, eventDate: string | null, billed: Readonly<Record<string, number>> = {}): SchedulePart[] {
  const open = rules.filter((r) => billed[r.partId] === undefined);
  const billedTotal = rules.reduce((s, r) => s + (billed[r.partId] ?? 0), 0);
  const rest = totalMinor - billedTotal;
  const amounts = open.length > 0 ? allocate(money(Math.max(rest, 0), currency), open.map((r) => ratioOf(r.percent))).map((m) => m.amountMinor) : [];
  return rules.map((r) => {
    const { label, percent, anchor, offsetDays, fixedDate, partId } = r;
    const openIndex = open.indexOf(r);
    const amountMinor = openIndex >= 0 ? amounts[openIndex]! : billed[partId]!;
    return { partId, label, percent, anchor, offsetDays, fixedDate, amountMinor, dueDate: dueDateOf(r, bookedOn, eventDate) ?? '' };
  });
}

function scheduleFacts(build: BuildFacts) {
  if (!build.approvedTotal) throw DomainError.precondition('a payment schedule needs the build\'s approved total: approve the build first');
  return { total: build.approvedTotal, bookedOn: build.bookedAt ? build.bookedAt.slice(0, 10) : null, eventDate: build.eventDate };
}

function setSchedule(command: SetPaymentSchedule, state: LedgerState): LedgerEvent[] {
  const { data } = command;
  if (data.build.buildId !== data.buildId) throw DomainError.notFound('build', data.buildId);
  const { total, bookedOn, eventDate } = scheduleFacts(data.build);
  const v = new Violations();
  if (data.parts.length === 0 || data.parts.length > LEDGER_LIMITS.scheduleParts) v.add('parts', `must have 1 to ${LEDGER_LIMITS.scheduleParts} parts`);
  const rules = data.parts.map((p, index) => {
    const at = `parts[${index}]`;
    const label = v.text(`${at}.label`, p.label, { max: LEDGER_LIMITS.description, required: true });
    const percent = parsePercent(v, `${at}.percent`, p.percent) ?? '0';
    const anchor = v.oneOf(`${at}.anchor`, p.anchor, SCHEDULE_ANCHORS);
    const offsetDays = v.integer(`${at}.offsetDays`, p.offsetDays, { min: -LEDGER_LIMITS.offsetDays, max: LEDGER_LIMITS.offsetDays });
    const fixedDate = anchor === 'fixed' ? v.date(`${at}.fixedDate`, p.fixedDate) : null;
    if (anchor === 'booking' && bookedOn === null) v.add(`${at}.anchor`, 'the build is not booked yet: no booking date to count from');
    if (anchor === 'event_date' && eventDate === null) v.add(`${at}.anchor`, 'the build has no event date to count from');
    if (Number(percent) <= 0) v.add(`${at}.percent`, 'must be greater than 0');
    return { partId: `part-${index + 1}`, label, percent, anchor, offsetDays, fixedDate };
  });
  const shares = rules.reduce((s, r) => s + ratioOf(r.percent), 0);
  if (data.parts.length > 0 && shares !== 100 * 10_000) v.add('parts', 'the parts\' percentages must add up to 100');
  v.throwIfAny();
  if (state.schedule && Object.values(state.invoices).some((i) => i.schedulePartId !== null && i.lifecycle !== 'discarded')) {
    throw DomainError.precondition('the schedule has invoiced parts: it can only be replanned, not replaced');
  }
  const parts = planSchedule(rules, total.amountMinor, total.currency, bookedOn, eventDate);
  return [{ type: 'PaymentScheduleSet', data: { ...fact(command), currency: total.currency, totalMinor: total.amountMinor, bookedOn, eventDate, parts } }];
}

function replanSchedule(command: Extract<LedgerCommand, { type: 'ReplanPaymentSchedule' }>, state: LedgerState): LedgerEvent[] {
  if (!state.schedule) throw DomainError.notFound('payment schedule', command.data.buildId);
  const { total, bookedOn, eventDate } = scheduleFacts(command.data.build);
  const billed: Record<string, number> = {};
  for (const i of Object.values(state.invoices)) {
    if (i.schedulePartId !== null && i.lifecycle !== 'discarded' && i.lifecycle !== 'void') billed[i.schedulePartId] = i.totalMinor;
  }
  const parts = planSchedule(state.schedule, total.amountMinor, total.currency, bookedOn, eventDate, billed);
  // Compared field by field: a stored schedule comes back from jsonb with its keys in another order.
  const unchanged = parts.length === state.schedule.length && parts.every((p, i) => p.partId === state.schedule![i]!.partId && p.amountMinor === state.schedule![i]!.amountMinor && p.dueDate === state.schedule![i]!.dueDate);
  if (unchanged) return [];
  return [{ type: 'PaymentScheduleReplanned', data: { ...fact(command), totalMinor: total.amountMinor, bookedOn, eventDate, parts } }];
}

function reasonOf(field: string, value: unknown): string {
  const v = new Violations();
  const reason = v.text(field, value, { max: LEDGER_LIMITS.reason, required: true });
  v.throwIfAny();
  return reason;
}

export function decideLedger(command: LedgerCommand, state: LedgerState): LedgerEvent[] {
  if (state.buildId !== null && state.buildId !== command.data.buildId) throw DomainError.notFound('build ledger', command.data.buildId);
  switch (command.type) {
    case 'DraftInvoice':
      return draftInvoice(command, state);
    case 'ReviseInvoiceDraft':
      return reviseDraft(command, state);
    case 'DiscardInvoiceDraft': {
      const invoice = invoiceOf(state, command.data.invoiceId);
      if (invoice.lifecycle !== 'draft') throw DomainError.precondition(`invoice ${invoice.invoiceNumber} is issued: void it or issue a credit note`);
      return [{ type: 'InvoiceDraftDiscarded', data: { ...fact(command), invoiceId: invoice.invoiceId, discardedAt: command.metadata.now.toISOString() } }];
    }
    case 'IssueInvoice':
      return issueInvoice(command, state);
    case 'IssueCreditNote':
      return issueCreditNote(command, state);
    case 'VoidInvoice': {
      const invoice = invoiceOf(state, command.data.invoiceId);
      const reason = reasonOf('reason', command.data.reason);
      if (invoice.lifecycle !== 'issued') throw DomainError.precondition(`invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is ${invoiceStatus(invoice)}: only an issued invoice is voided (discard a draft)`);
      if (invoice.paidMinor > 0) throw DomainError.precondition(`invoice ${invoice.invoiceNumber} has payments: refund them or issue a credit note instead`);
      const c = invoice.currency;
      const due = amountDue(invoice);
      const posted =
        due === 0
          ? null
          : entry(state, command, 'void', `invoice ${invoice.invoiceNumber} voided`, dateOf(command.metadata), [
              debit('revenue', money(invoice.subtotalMinor - invoice.creditedRevenueMinor, c)),
              debit('tax_payable', money(invoice.taxMinor - invoice.creditedTaxMinor, c)),
              credit('receivables', money(due, c)),
            ], c);
      return [{ type: 'InvoiceVoided', data: { ...fact(command), invoiceId: invoice.invoiceId, reason, entry: posted } }];
    }
    case 'MarkInvoiceUncollectible': {
      const invoice = invoiceOf(state, command.data.invoiceId);
      const reason = reasonOf('reason', command.data.reason);
      const due = amountDue(invoice);
      if (invoice.lifecycle !== 'issued' || due === 0) throw DomainError.precondition(`invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is ${invoiceStatus(invoice)}: only an open invoice is written off`);
      const c = invoice.currency;
      const posted = entry(state, command, 'write_off', `invoice ${invoice.invoiceNumber} uncollectible`, dateOf(command.metadata), [debit('expenses', money(due, c)), credit('receivables', money(due, c))], c);
      return [{ type: 'InvoiceMarkedUncollectible', data: { ...fact(command), invoiceId: invoice.invoiceId, writtenOffMinor: due, reason, entry: posted } }];
    }
    case 'RecordPayment':
      return recordPayment(command, state);
    case 'PostPayment': {
      const payment = pendingPayment(state, command.data.paymentId);
      const invoice = invoiceOf(state, payment.invoiceId);
      const v = new Violations();
      const effectiveDate = command.data.effectiveDate === null ? payment.effectiveDate : v.date('effectiveDate', command.data.effectiveDate);
      v.throwIfAny();
      const settled = settle(state, command, invoice, payment.amountMinor, effectiveDate, `transfer ${payment.externalTransactionId} posted`);
      return [{ type: 'PaymentPosted', data: { ...fact(command), paymentId: payment.paymentId, invoiceId: invoice.invoiceId, effectiveDate, ...settled } }];
    }
    case 'VoidPayment': {
      const payment = pendingPayment(state, command.data.paymentId);
      return [{ type: 'PaymentVoided', data: { ...fact(command), paymentId: payment.paymentId, reason: reasonOf('reason', command.data.reason) } }];
    }
    case 'ExpirePayment': {
      const payment = pendingPayment(state, command.data.paymentId);
      if (payment.expiresAt !== null && command.metadata.now.toISOString() < payment.expiresAt) throw DomainError.precondition(`payment ${payment.externalTransactionId} is pending until ${payment.expiresAt}`);
      return [{ type: 'PaymentExpired', data: { ...fact(command), paymentId: payment.paymentId } }];
    }
    case 'RefundPayment':
      return refundPayment(command, state);
    case 'ReversePayment': {
      const payment = paymentOf(state, command.data.paymentId);
      const reason = reasonOf('reason', command.data.reason);
      if (payment.status !== 'posted' || !payment.entry) throw DomainError.precondition(`payment ${payment.externalTransactionId} is ${payment.status}: only a posted payment is reversed`);
      if (payment.refundedMinor > 0) throw DomainError.precondition(`payment ${payment.externalTransactionId} was partly refunded: it cannot be reversed`);
      if (payment.creditMinor > state.balances.customer_credit) throw DomainError.precondition(`the credit payment ${payment.externalTransactionId} left was used: it cannot be reversed`);
      const settled = own(state.invoices, payment.invoiceId);
      if (payment.appliedMinor > 0 && settled?.lifecycle !== 'issued') {
        throw DomainError.precondition(`the invoice payment ${payment.externalTransactionId} settled is no longer open: issue a refund instead`);
      }
      // A credit note refunded part of what it settled: reversing all of it would take back more than the invoice holds.
      if (payment.appliedMinor > (settled?.paidMinor ?? 0)) {
        throw DomainError.precondition(`part of what payment ${payment.externalTransactionId} settled was refunded: refund the rest instead of reversing it`);
      }
      const posted = reversalOf(payment.entry, { entryId: `${command.data.buildId}:${state.entries + 1}`, effectiveDate: payment.effectiveDate, recordedAt: command.metadata.now.toISOString(), memo: `reversal of ${payment.externalTransactionId}: ${reason}` });
      return [{ type: 'PaymentReversed', data: { ...fact(command), paymentId: payment.paymentId, invoiceId: payment.invoiceId, reason, entry: posted } }];
    }
    case 'ApplyCustomerCredit':
      return applyCredit(command, state);
    case 'RecordExpense':
      return recordExpense(command, state);
    case 'VoidExpense': {
      const expense = own(state.expenses, command.data.expenseId);
      if (!expense) throw DomainError.notFound('expense', command.data.expenseId);
      const reason = reasonOf('reason', command.data.reason);
      if (expense.voided) throw DomainError.precondition(`expense ${expense.expenseId} is already voided`);
      const posted = reversalOf(expense.entry, { entryId: `${command.data.buildId}:${state.entries + 1}`, effectiveDate: expense.entry.effectiveDate, recordedAt: command.metadata.now.toISOString(), memo: `expense voided: ${reason}` });
      return [{ type: 'ExpenseVoided', data: { ...fact(command), expenseId: expense.expenseId, reason, entry: posted } }];
    }
    case 'SetPaymentSchedule':
      return setSchedule(command, state);
    case 'ReplanPaymentSchedule':
      return replanSchedule(command, state);
    default:
      return assertNever(command, 'ledger command');
  }
}

export const ledgerDecider = defineDecider({
  aggregate: 'build ledger',
  schemaVersions: {
    InvoiceDrafted: 1,
    InvoiceDraftRevised: 1,
    InvoiceDraftDiscarded: 1,
    InvoiceIssued: 1,
    CreditNoteIssued: 1,
    InvoiceVoided: 1,
    InvoiceMarkedUncollectible: 1,
    PaymentRecorded: 1,
    PaymentPosted: 1,
    PaymentVoided: 1,
    PaymentExpired: 1,
    PaymentRefunded: 1,
    PaymentReversed: 1,
    CustomerCreditApplied: 1,
    ExpenseRecorded: 1,
    ExpenseVoided: 1,
    PaymentScheduleSet: 1,
    PaymentScheduleReplanned: 1,
  },
  initialState: initialLedgerState,
  evolve: evolveLedger,
  decide: decideLedger,
});

export type { Account };
export { assertCurrency };
