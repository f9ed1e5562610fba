import type { Command } from '@projectflo/platform/core';
import type { Money } from '../money/money';
import type { BuildFacts } from './build-facts';
import type { InvoiceLineKind, PaymentMethod, ScheduleAnchor } from './ledger.events';

export interface InvoiceLineInput {
  readonly kind: InvoiceLineKind;
  readonly description: string;
  readonly unitPrice: Money;
  readonly quantity: string;
  readonly taxable: boolean;
}

interface InvoiceDraftInput {
  readonly invoiceId: string;
  readonly lines: readonly InvoiceLineInput[];
  readonly taxRatePercent: string | null;
  readonly dueDate: string;
  readonly schedulePartId?: string | null;
}

type OnBuild = { readonly buildId: string };

export type DraftInvoice = Command<'DraftInvoice', OnBuild & InvoiceDraftInput & { readonly build: BuildFacts }>;
export type ReviseInvoiceDraft = Command<'ReviseInvoiceDraft', OnBuild & InvoiceDraftInput>;
export type DiscardInvoiceDraft = Command<'DiscardInvoiceDraft', OnBuild & { readonly invoiceId: string }>;
/** `number` is the tenant's next invoice number, assigned in the same atomic write (invoice-numbering stream). */
export type IssueInvoice = Command<'IssueInvoice', OnBuild & { readonly invoiceId: string; readonly number: number; readonly issueDate: string | null }>;
export type IssueCreditNote = Command<
  'IssueCreditNote',
  OnBuild & { readonly invoiceId: string; readonly creditNoteId: string; readonly amount: Money; readonly reason: string; readonly settlement: 'customer_credit' | 'refund' }
>;
export type VoidInvoice = Command<'VoidInvoice', OnBuild & { readonly invoiceId: string; readonly reason: string }>;
export type MarkInvoiceUncollectible = Command<'MarkInvoiceUncollectible', OnBuild & { readonly invoiceId: string; readonly reason: string }>;
/**
 * `paymentId` derives from (tenant, external transaction id); `fingerprint` digests what the payment
 * says (invoice, amount, method, effective date), so a redelivery with the same data is recognised
 * and one with other data refused.
 */
export type RecordPayment = Command<
  'RecordPayment',
  OnBuild & {
    readonly paymentId: string;
    readonly invoiceId: string;
    readonly externalTransactionId: string;
    readonly method: PaymentMethod;
    readonly amount: Money;
    readonly effectiveDate: string | null;
    readonly fingerprint: string;
  }
>;
export type PostPayment = Command<'PostPayment', OnBuild & { readonly paymentId: string; readonly effectiveDate: string | null }>;
export type VoidPayment = Command<'VoidPayment', OnBuild & { readonly paymentId: string; readonly reason: string }>;
export type ExpirePayment = Command<'ExpirePayment', OnBuild & { readonly paymentId: string }>;
export type RefundPayment = Command<
  'RefundPayment',
  OnBuild & { readonly paymentId: string; readonly refundId: string; readonly amount: Money; readonly effectiveDate: string | null; readonly reason: string }
>;
export type ReversePayment = Command<'ReversePayment', OnBuild & { readonly paymentId: string; readonly reason: string }>;
export type ApplyCustomerCredit = Command<'ApplyCustomerCredit', OnBuild & { readonly invoiceId: string; readonly amount: Money }>;
export type RecordExpense = Command<
  'RecordExpense',
  OnBuild & {
    readonly build: BuildFacts;
    readonly expenseId: string;
    readonly category: string;
    readonly description: string;
    readonly amount: Money;
    readonly receiptUrl: string | null;
    readonly effectiveDate: string | null;
  }
>;
export type VoidExpense = Command<'VoidExpense', OnBuild & { readonly expenseId: string; readonly reason: string }>;

export interface SchedulePartInput {
  readonly label: string;
  readonly percent: string;
  readonly anchor: ScheduleAnchor;
  readonly offsetDays: number;
  readonly fixedDate: string | null;
}
export type SetPaymentSchedule = Command<'SetPaymentSchedule', OnBuild & { readonly build: BuildFacts; readonly parts: readonly SchedulePartInput[] }>;
/** The build's dates or approved total moved: due dates and the amounts of parts not yet invoiced follow. */
export type ReplanPaymentSchedule = Command<'ReplanPaymentSchedule', OnBuild & { readonly build: BuildFacts }>;

export type LedgerCommand =
  | DraftInvoice
  | ReviseInvoiceDraft
  | DiscardInvoiceDraft
  | IssueInvoice
  | IssueCreditNote
  | VoidInvoice
  | MarkInvoiceUncollectible
  | RecordPayment
  | PostPayment
  | VoidPayment
  | ExpirePayment
  | RefundPayment
  | ReversePayment
  | ApplyCustomerCredit
  | RecordExpense
  | VoidExpense
  | SetPaymentSchedule
  | ReplanPaymentSchedule;
