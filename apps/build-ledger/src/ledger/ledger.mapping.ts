import {
  formatMoney,
  type InvoiceLineKind,
  invoiceRows,
  type InvoiceRow,
  type InvoiceStatus,
  type LedgerRow,
  money,
  type PaymentMethod,
  paymentRows,
  type PaymentRow,
  type PaymentStatus,
  type ScheduleAnchor,
} from '@projectflo/build-ledger/domain';
import { ledgerInvoicingV1 as proto } from '@projectflo/contracts';
import { enumMapping, toTimestamp } from '@projectflo/platform/grpc';

export const invoiceStatus = enumMapping<proto.InvoiceStatus, InvoiceStatus>(proto.InvoiceStatus, {
  INVOICE_STATUS_DRAFT: 'draft',
  INVOICE_STATUS_ISSUED: 'issued',
  INVOICE_STATUS_PARTIALLY_PAID: 'partially_paid',
  INVOICE_STATUS_PAID: 'paid',
  INVOICE_STATUS_VOID: 'void',
  INVOICE_STATUS_UNCOLLECTIBLE: 'uncollectible',
});
export const invoiceLineKind = enumMapping<proto.InvoiceLineKind, InvoiceLineKind>(proto.InvoiceLineKind, { INVOICE_LINE_KIND_ITEM: 'item', INVOICE_LINE_KIND_SERVICE_CHARGE: 'service_charge', INVOICE_LINE_KIND_LATE_FEE: 'late_fee' });
export const paymentMethod = enumMapping<proto.PaymentMethod, PaymentMethod>(proto.PaymentMethod, {
  PAYMENT_METHOD_CARD: 'card',
  PAYMENT_METHOD_BANK_TRANSFER: 'bank_transfer',
  PAYMENT_METHOD_CASH: 'cash',
  PAYMENT_METHOD_CHECK: 'check',
  PAYMENT_METHOD_OTHER: 'other',
});
export const paymentStatus = enumMapping<proto.PaymentStatus, PaymentStatus>(proto.PaymentStatus, {
  PAYMENT_STATUS_PENDING: 'pending',
  PAYMENT_STATUS_POSTED: 'posted',
  PAYMENT_STATUS_VOIDED: 'voided',
  PAYMENT_STATUS_EXPIRED: 'expired',
  PAYMENT_STATUS_REVERSED: 'reversed',
});
export const creditNoteSettlement = enumMapping<proto.CreditNoteSettlement, 'customer_credit' | 'refund'>(proto.CreditNoteSettlement, { CREDIT_NOTE_SETTLEMENT_CUSTOMER_CREDIT: 'customer_credit', CREDIT_NOTE_SETTLEMENT_REFUND: 'refund' });
export const scheduleAnchor = enumMapping<proto.ScheduleAnchor, ScheduleAnchor>(proto.ScheduleAnchor, { SCHEDULE_ANCHOR_BOOKING: 'booking', SCHEDULE_ANCHOR_EVENT_DATE: 'event_date', SCHEDULE_ANCHOR_FIXED: 'fixed' });

/** Minor units of a currency as the proto's decimal Money. */
export const moneyToProto = (amountMinor: number, currency: string) => ({ currency, amount: formatMoney(money(amountMinor, currency)) });

export function invoiceToProto(i: InvoiceRow): proto.Invoice {
  const m = (minor: number) => moneyToProto(minor, i.currency);
  return {
    invoiceId: i.invoiceId,
    buildId: i.buildId,
    invoiceNumber: i.invoiceNumber ?? '',
    status: invoiceStatus.toProto(i.status),
    lines: i.lines.map((l) => ({
      lineNo: l.lineNo,
      kind: invoiceLineKind.toProto(l.kind),
      description: l.description,
      unitPrice: m(l.unitPriceMinor),
      quantity: l.quantity,
      taxable: l.taxable,
      amount: m(l.amountMinor),
      tax: m(l.taxMinor),
    })),
    taxRatePercent: i.taxRatePercent ?? '',
    subtotal: m(i.subtotalMinor),
    tax: m(i.taxMinor),
    total: m(i.totalMinor),
    credited: m(i.creditedMinor),
    paid: m(i.paidMinor),
    writtenOff: m(i.writtenOffMinor),
    amountDue: m(i.amountDueMinor),
    issueDate: i.issueDate ?? '',
    dueDate: i.dueDate,
    schedulePartId: i.schedulePartId ?? '',
  };
}

export function paymentToProto(p: PaymentRow): proto.Payment {
  const m = (minor: number) => moneyToProto(minor, p.currency);
  return {
    paymentId: p.paymentId,
    invoiceId: p.invoiceId,
    externalTransactionId: p.externalTransactionId,
    method: paymentMethod.toProto(p.method),
    status: paymentStatus.toProto(p.status),
    amount: m(p.amountMinor),
    applied: m(p.appliedMinor),
    credit: m(p.creditMinor),
    refunded: m(p.refundedMinor),
    effectiveDate: p.effectiveDate,
    ...(p.expiresAt && p.status === 'pending' ? { expiresAt: toTimestamp(p.expiresAt) } : {}),
  };
}

/** The BuildLedger message of a ledger row (undefined row: a build with no ledger yet). */
export function ledgerToProto(buildId: string, row: LedgerRow | undefined): proto.BuildLedger {
  if (!row) return { buildId, currency: '', version: '0', invoices: [], payments: [], schedule: [], expenses: [] };
  const currency = row.currency ?? '';
  const m = (minor: number) => (currency ? moneyToProto(minor, currency) : undefined);
  const f = row.figures;
  return {
    buildId,
    currency,
    version: String(row.version),
    ...(currency
      ? {
          figures: {
            totalPaid: m(f.totalPaidMinor),
            balanceDue: m(f.balanceDueMinor),
            customerCredit: m(f.customerCreditMinor),
            revenue: m(f.revenueMinor),
            expenses: m(f.expensesMinor),
            profit: m(f.profitMinor),
            taxPayable: m(f.taxPayableMinor),
            cash: m(f.cashMinor),
          },
        }
      : {}),
    invoices: invoiceRows(row).map(invoiceToProto),
    payments: paymentRows(row).map(paymentToProto),
    schedule: (row.state.schedule ?? []).map((p) => ({
      partId: p.partId,
      label: p.label,
      percent: p.percent,
      anchor: scheduleAnchor.toProto(p.anchor),
      offsetDays: p.offsetDays,
      fixedDate: p.fixedDate ?? '',
      amount: m(p.amountMinor),
      dueDate: p.dueDate,
    })),
    expenses: Object.values(row.state.expenses).map((e) => ({ expenseId: e.expenseId, amount: m(e.amountMinor), voided: e.voided, category: e.category, effectiveDate: e.effectiveDate })),
  };
}
