import { z } from 'zod';
import { actor, calendarDate, id, instant, list, requiredText, text } from './payload-fields';

/*
 * Payload schemas of the events on `ledger.build-ledger.v1` (key: the build id): a build's ledger —
 * invoices, payments, refunds, expenses, payment schedules — each money event carrying its balanced
 * double-entry journal entry (Σ debits = Σ credits, integer minor units, one currency). Every payload
 * names its tenant and build. Rules for change as in crm-lead.v1.ts.
 */

export const LEDGER_BUILD_LEDGER_TOPIC_V1 = 'ledger.build-ledger.v1';

const minor = z.number().int().safe();
const positive = minor.min(0);
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
const fact = { tenantId: id, buildId: id };

export const JournalEntryV1 = z
  .object({
    entryId: requiredText(300),
    kind: z.enum(['invoice', 'credit_note', 'payment', 'refund', 'credit_applied', 'write_off', 'void', 'reversal', 'expense']),
    currency,
    effectiveDate: calendarDate,
    recordedAt: instant,
    memo: text(2_000),
    postings: list(
      z.object({ account: z.enum(['receivables', 'cash', 'revenue', 'tax_payable', 'customer_credit', 'expenses']), side: z.enum(['debit', 'credit']), amountMinor: positive }),
      12,
    ),
  })
  .refine((e) => e.postings.reduce((s, p) => s + (p.side === 'debit' ? p.amountMinor : -p.amountMinor), 0) === 0, 'debits must equal credits');

const line = z.object({
  lineNo: z.number().int().min(1),
  kind: z.enum(['item', 'service_charge', 'late_fee']),
  description: requiredText(500),
  unitPriceMinor: positive,
  quantity: z.string().regex(/^\d{1,9}(\.\d{1,3})?$/),
  taxable: z.boolean(),
  amountMinor: positive,
  taxMinor: positive,
});
const content = {
  currency,
  lines: list(line, 200),
  taxRatePercent: z.string().nullable(),
  subtotalMinor: positive,
  taxMinor: positive,
  totalMinor: positive,
  dueDate: calendarDate,
  schedulePartId: id.nullable(),
};
const part = z.object({
  partId: id,
  label: requiredText(500),
  percent: z.string(),
  anchor: z.enum(['booking', 'event_date', 'fixed']),
  offsetDays: z.number().int(),
  fixedDate: calendarDate.nullable(),
  amountMinor: positive,
  dueDate: z.string(),
});
const reason = requiredText(1_000);

export const ledgerBuildLedgerEventContractsV1 = {
  InvoiceDrafted: { schemaVersion: 1, schema: z.object({ ...fact, ...content, invoiceId: id, draftedBy: actor, draftedAt: instant }) },
  InvoiceDraftRevised: { schemaVersion: 1, schema: z.object({ ...fact, ...content, invoiceId: id, revisedAt: instant }) },
  InvoiceDraftDiscarded: { schemaVersion: 1, schema: z.object({ ...fact, invoiceId: id, discardedAt: instant }) },
  InvoiceIssued: {
    schemaVersion: 1,
    schema: z.object({ ...fact, invoiceId: id, number: z.number().int().min(1), invoiceNumber: requiredText(32), issueDate: calendarDate, dueDate: calendarDate, issuedBy: actor, entry: JournalEntryV1 }),
  },
  CreditNoteIssued: {
    schemaVersion: 1,
    schema: z.object({
      ...fact,
      invoiceId: id,
      creditNoteId: id,
      amountMinor: positive,
      revenueMinor: positive,
      taxMinor: positive,
      reducedDueMinor: positive,
      toCreditMinor: positive,
      refundedMinor: positive,
      reason,
      entry: JournalEntryV1,
    }),
  },
  InvoiceVoided: { schemaVersion: 1, schema: z.object({ ...fact, invoiceId: id, reason, entry: JournalEntryV1.nullable() }) },
  InvoiceMarkedUncollectible: { schemaVersion: 1, schema: z.object({ ...fact, invoiceId: id, writtenOffMinor: positive, reason, entry: JournalEntryV1.nullable() }) },
  PaymentRecorded: {
    schemaVersion: 1,
    schema: z.object({
      ...fact,
      paymentId: id,
      invoiceId: id,
      externalTransactionId: requiredText(200),
      method: z.enum(['card', 'bank_transfer', 'cash', 'check', 'other']),
      currency,
      amountMinor: positive,
      effectiveDate: calendarDate,
      fingerprint: id,
      status: z.enum(['pending', 'posted']),
      expiresAt: instant.nullable(),
      appliedMinor: positive,
      creditMinor: positive,
      entry: JournalEntryV1.nullable(),
    }),
  },
  PaymentPosted: { schemaVersion: 1, schema: z.object({ ...fact, paymentId: id, invoiceId: id, appliedMinor: positive, creditMinor: positive, effectiveDate: calendarDate, entry: JournalEntryV1 }) },
  PaymentVoided: { schemaVersion: 1, schema: z.object({ ...fact, paymentId: id, reason }) },
  PaymentExpired: { schemaVersion: 1, schema: z.object({ ...fact, paymentId: id }) },
  PaymentRefunded: {
    schemaVersion: 1,
    schema: z.object({ ...fact, paymentId: id, invoiceId: id, refundId: id, amountMinor: positive, fromCreditMinor: positive, fromInvoiceMinor: positive, effectiveDate: calendarDate, reason, entry: JournalEntryV1 }),
  },
  PaymentReversed: { schemaVersion: 1, schema: z.object({ ...fact, paymentId: id, invoiceId: id, reason, entry: JournalEntryV1 }) },
  CustomerCreditApplied: { schemaVersion: 1, schema: z.object({ ...fact, invoiceId: id, amountMinor: positive, entry: JournalEntryV1 }) },
  ExpenseRecorded: {
    schemaVersion: 1,
    schema: z.object({ ...fact, expenseId: id, category: requiredText(100), description: text(500), currency, amountMinor: positive, receiptUrl: text(2_048).nullable(), effectiveDate: calendarDate, entry: JournalEntryV1 }),
  },
  ExpenseVoided: { schemaVersion: 1, schema: z.object({ ...fact, expenseId: id, reason, entry: JournalEntryV1 }) },
  PaymentScheduleSet: { schemaVersion: 1, schema: z.object({ ...fact, currency, totalMinor: positive, bookedOn: calendarDate.nullable(), eventDate: calendarDate.nullable(), parts: list(part, 24) }) },
  PaymentScheduleReplanned: { schemaVersion: 1, schema: z.object({ ...fact, totalMinor: positive, bookedOn: calendarDate.nullable(), eventDate: calendarDate.nullable(), parts: list(part, 24) }) },
} as const;
