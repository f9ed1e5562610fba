import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';
import type { InvoiceRow, JournalLineRow, LedgerRow, PaymentRow } from '@projectflo/build-ledger/domain';

/*
 * The ledger's read model: one row per build ledger (the folded state and the journal's figures),
 * its invoices and payments (derived from that state), and one row per journal posting. Money is
 * bigint minor units (read back as numbers: every amount is bounded by MAX_AMOUNT_MINOR).
 */
const minor = (fieldName: string) => ({ type: new BigIntType('number'), fieldName }) as const;

export const LedgerViewSchema = new EntitySchema<LedgerRow>({
  name: 'LedgerViewRow',
  tableName: 'ledger_views',
  properties: {
    buildId: { type: 'string', primary: true, fieldName: 'build_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    version: { type: 'integer' },
    currency: { type: 'string', nullable: true },
    customerCashMinor: minor('customer_cash_minor'),
    figures: { type: 'json' },
    state: { type: 'json' },
    updatedAt: { type: 'string', fieldName: 'updated_at' },
  },
});

export const LedgerInvoiceSchema = new EntitySchema<InvoiceRow>({
  name: 'LedgerInvoiceRow',
  tableName: 'ledger_invoices',
  properties: {
    invoiceId: { type: 'string', primary: true, fieldName: 'invoice_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    buildId: { type: 'string', fieldName: 'build_id' },
    invoiceNumber: { type: 'string', fieldName: 'invoice_number', nullable: true },
    number: { type: 'integer', nullable: true },
    status: { type: 'string' },
    currency: { type: 'string' },
    subtotalMinor: minor('subtotal_minor'),
    taxMinor: minor('tax_minor'),
    totalMinor: minor('total_minor'),
    creditedMinor: minor('credited_minor'),
    paidMinor: minor('paid_minor'),
    writtenOffMinor: minor('written_off_minor'),
    amountDueMinor: minor('amount_due_minor'),
    issueDate: { type: 'string', fieldName: 'issue_date', nullable: true },
    dueDate: { type: 'string', fieldName: 'due_date' },
    schedulePartId: { type: 'string', fieldName: 'schedule_part_id', nullable: true },
    taxRatePercent: { type: 'string', fieldName: 'tax_rate_percent', nullable: true },
    lines: { type: 'json' },
  },
});

export const LedgerPaymentSchema = new EntitySchema<PaymentRow>({
  name: 'LedgerPaymentRow',
  tableName: 'ledger_payments',
  properties: {
    paymentId: { type: 'string', primary: true, fieldName: 'payment_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    buildId: { type: 'string', fieldName: 'build_id' },
    invoiceId: { type: 'string', fieldName: 'invoice_id' },
    externalTransactionId: { type: 'string', fieldName: 'external_transaction_id' },
    method: { type: 'string' },
    status: { type: 'string' },
    currency: { type: 'string' },
    amountMinor: minor('amount_minor'),
    appliedMinor: minor('applied_minor'),
    creditMinor: minor('credit_minor'),
    refundedMinor: minor('refunded_minor'),
    effectiveDate: { type: 'string', fieldName: 'effective_date' },
    expiresAt: { type: 'string', fieldName: 'expires_at', nullable: true },
  },
});

export const LedgerJournalLineSchema = new EntitySchema<JournalLineRow>({
  name: 'LedgerJournalLineRow',
  tableName: 'ledger_journal_lines',
  properties: {
    entryId: { type: 'string', primary: true, fieldName: 'entry_id' },
    lineNo: { type: 'integer', primary: true, fieldName: 'line_no' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    buildId: { type: 'string', fieldName: 'build_id' },
    kind: { type: 'string' },
    account: { type: 'string' },
    side: { type: 'string' },
    amountMinor: minor('amount_minor'),
    currency: { type: 'string' },
    effectiveDate: { type: 'string', fieldName: 'effective_date' },
    recordedAt: { type: 'string', fieldName: 'recorded_at' },
    memo: { type: 'string' },
  },
});

export const LEDGER_ENTITIES = [LedgerViewSchema, LedgerInvoiceSchema, LedgerPaymentSchema, LedgerJournalLineSchema] as const;
