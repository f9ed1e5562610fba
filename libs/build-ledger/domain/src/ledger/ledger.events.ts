import type { JournalEntry } from './journal';

export const INVOICE_LINE_KINDS = ['item', 'service_charge', 'late_fee'] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

/** A priced invoice line: amount = unit price × quantity and tax = rate × amount, each rounded once (money.ts' line rule). */
export interface InvoiceLine {
  readonly lineNo: number;
  readonly kind: InvoiceLineKind;
  readonly description: string;
  readonly unitPriceMinor: number;
  /** Decimal string, at most 3 places. */
  readonly quantity: string;
  readonly taxable: boolean;
  readonly amountMinor: number;
  readonly taxMinor: number;
}

export interface InvoiceContent {
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  /** The tenant's tax rate applied to taxable lines (percent, "8.25"); null when untaxed. */
  readonly taxRatePercent: string | null;
  readonly subtotalMinor: number;
  readonly taxMinor: number;
  readonly totalMinor: number;
  readonly dueDate: string;
  /** The payment-schedule part this invoice bills, if any. */
  readonly schedulePartId: string | null;
}

export const PAYMENT_METHODS = ['card', 'bank_transfer', 'cash', 'check', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const SCHEDULE_ANCHORS = ['booking', 'event_date', 'fixed'] as const;
export type ScheduleAnchor = (typeof SCHEDULE_ANCHORS)[number];

export interface SchedulePartRule {
  readonly partId: string;
  readonly label: string;
  /** Share of the total, percent with up to 4 decimals; the parts' shares add up to 100. */
  readonly percent: string;
  readonly anchor: ScheduleAnchor;
  /** Days after the anchor (negative: before the event date). */
  readonly offsetDays: number;
  readonly fixedDate: string | null;
}

export interface SchedulePart extends SchedulePartRule {
  readonly amountMinor: number;
  readonly dueDate: string;
}

type Fact = { readonly tenantId: string; readonly buildId: string };

/** Every event of a build's ledger stream (`ledger-<buildId>`). Money events carry their balanced journal entry. */
export type LedgerEvent =
  | { type: 'InvoiceDrafted'; data: Fact & InvoiceContent & { invoiceId: string; draftedBy: string; draftedAt: string } }
  | { type: 'InvoiceDraftRevised'; data: Fact & InvoiceContent & { invoiceId: string; revisedAt: string } }
  | { type: 'InvoiceDraftDiscarded'; data: Fact & { invoiceId: string; discardedAt: string } }
  | { type: 'InvoiceIssued'; data: Fact & { invoiceId: string; number: number; invoiceNumber: string; issueDate: string; dueDate: string; issuedBy: string; entry: JournalEntry } }
  | {
      type: 'CreditNoteIssued';
      data: Fact & {
        invoiceId: string;
        creditNoteId: string;
        amountMinor: number;
        revenueMinor: number;
        taxMinor: number;
        /** Lowered the amount due. */
        reducedDueMinor: number;
        /** Beyond the amount due: became customer credit... */
        toCreditMinor: number;
        /** ...or was refunded. */
        refundedMinor: number;
        reason: string;
        entry: JournalEntry;
      };
    }
  | { type: 'InvoiceVoided'; data: Fact & { invoiceId: string; reason: string; entry: JournalEntry | null } }
  | { type: 'InvoiceMarkedUncollectible'; data: Fact & { invoiceId: string; writtenOffMinor: number; reason: string; entry: JournalEntry | null } }
  | {
      type: 'PaymentRecorded';
      data: Fact & {
        paymentId: string;
        invoiceId: string;
        externalTransactionId: string;
        method: PaymentMethod;
        currency: string;
        amountMinor: number;
        effectiveDate: string;
        fingerprint: string;
        /** A bank transfer starts pending (no entry) and expires at this instant unless posted or voided. */
        status: 'pending' | 'posted';
        expiresAt: string | null;
        appliedMinor: number;
        creditMinor: number;
        entry: JournalEntry | null;
      };
    }
  | { type: 'PaymentPosted'; data: Fact & { paymentId: string; invoiceId: string; appliedMinor: number; creditMinor: number; effectiveDate: string; entry: JournalEntry } }
  | { type: 'PaymentVoided'; data: Fact & { paymentId: string; reason: string } }
  | { type: 'PaymentExpired'; data: Fact & { paymentId: string } }
  | {
      type: 'PaymentRefunded';
      data: Fact & { paymentId: string; invoiceId: string; refundId: string; amountMinor: number; fromCreditMinor: number; fromInvoiceMinor: number; effectiveDate: string; reason: string; entry: JournalEntry };
    }
  | { type: 'PaymentReversed'; data: Fact & { paymentId: string; invoiceId: string; reason: string; entry: JournalEntry } }
  | { type: 'CustomerCreditApplied'; data: Fact & { invoiceId: string; amountMinor: number; entry: JournalEntry } }
  | {
      type: 'ExpenseRecorded';
      data: Fact & { expenseId: string; category: string; description: string; currency: string; amountMinor: number; receiptUrl: string | null; effectiveDate: string; entry: JournalEntry };
    }
  | { type: 'ExpenseVoided'; data: Fact & { expenseId: string; reason: string; entry: JournalEntry } }
  | { type: 'PaymentScheduleSet'; data: Fact & { currency: string; totalMinor: number; bookedOn: string | null; eventDate: string | null; parts: readonly SchedulePart[] } }
  | { type: 'PaymentScheduleReplanned'; data: Fact & { totalMinor: number; bookedOn: string | null; eventDate: string | null; parts: readonly SchedulePart[] } };

export type LedgerEventType = LedgerEvent['type'];

/** The journal entry an event carries, if any. */
export function entryOf(event: LedgerEvent): JournalEntry | null {
  const data = event.data as { entry?: JournalEntry | null };
  return data.entry ?? null;
}
