import type { StreamEvent, ViewFold } from '@projectflo/platform/core';
import { customerCashOf, figuresOf, type JournalEntry, type LedgerFigures } from './journal';
import { amountDue, evolveLedger, initialLedgerState, invoiceStatus, type InvoiceStatus, type LedgerState, type PaymentStatus } from './ledger.decider';
import { entryOf, type InvoiceLine, type LedgerEvent, type PaymentMethod, type SchedulePart } from './ledger.events';

/**
 * The read models of a build's ledger, as pure folds of its stream (the projection stores them, a
 * command replies with them, a rebuild replays them). The ledger row holds the decider's state and
 * the journal's figures; invoices and payments are rows derived from that state; journal lines are
 * one row per posting. Every figure is a fold of the journal entries the events carry.
 */
export interface LedgerRow {
  tenantId: string;
  buildId: string;
  version: number;
  currency: string | null;
  customerCashMinor: number;
  figures: LedgerFigures;
  state: LedgerState;
  updatedAt: string;
}

export const evolveLedgerRow: ViewFold<LedgerRow> = (row, event) => {
  const e = { type: event.type, data: event.data } as LedgerEvent;
  const state = evolveLedger(row?.state ?? initialLedgerState(), e);
  const entry = entryOf(e);
  const customerCashMinor = (row?.customerCashMinor ?? 0) + (entry ? customerCashOf(entry) : 0);
  return {
    tenantId: event.metadata.tenantId,
    buildId: e.data.buildId,
    version: event.streamPosition,
    currency: state.currency,
    customerCashMinor,
    figures: figuresOf(state.balances, customerCashMinor),
    state,
    updatedAt: event.metadata.occurredAt,
  };
};

export interface InvoiceRow {
  tenantId: string;
  buildId: string;
  invoiceId: string;
  invoiceNumber: string | null;
  number: number | null;
  status: InvoiceStatus;
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  creditedMinor: number;
  paidMinor: number;
  writtenOffMinor: number;
  amountDueMinor: number;
  issueDate: string | null;
  dueDate: string;
  schedulePartId: string | null;
  taxRatePercent: string | null;
  /** The priced lines: from the event that priced them (invoiceLinesOf); empty in rows derived from the state alone. */
  lines: readonly InvoiceLine[];
}

/** The lines an event priced (a draft or its revision), or undefined when it priced none. */
export function invoiceLinesOf(event: Pick<StreamEvent, 'type' | 'data'>): readonly InvoiceLine[] | undefined {
  return event.type === 'InvoiceDrafted' || event.type === 'InvoiceDraftRevised' ? (event.data as { lines: InvoiceLine[] }).lines : undefined;
}

/** The invoice rows of a ledger state (discarded drafts are gone), without their lines. */
export function invoiceRows(row: Pick<LedgerRow, 'tenantId' | 'buildId' | 'state'>): InvoiceRow[] {
  return Object.values(row.state.invoices)
    .filter((i) => i.lifecycle !== 'discarded')
    .map((i) => ({
      tenantId: row.tenantId,
      buildId: row.buildId,
      invoiceId: i.invoiceId,
      invoiceNumber: i.invoiceNumber,
      number: i.number,
      status: invoiceStatus(i),
      currency: i.currency,
      subtotalMinor: i.subtotalMinor,
      taxMinor: i.taxMinor,
      totalMinor: i.totalMinor,
      creditedMinor: i.creditedMinor,
      paidMinor: i.paidMinor,
      writtenOffMinor: i.writtenOffMinor,
      amountDueMinor: amountDue(i),
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      schedulePartId: i.schedulePartId,
      taxRatePercent: i.taxRatePercent,
      lines: [],
    }));
}

export interface PaymentRow {
  tenantId: string;
  buildId: string;
  paymentId: string;
  invoiceId: string;
  externalTransactionId: string;
  method: PaymentMethod;
  status: PaymentStatus;
  currency: string;
  amountMinor: number;
  appliedMinor: number;
  creditMinor: number;
  refundedMinor: number;
  effectiveDate: string;
  expiresAt: string | null;
}

export function paymentRows(row: Pick<LedgerRow, 'tenantId' | 'buildId' | 'state' | 'currency'>): PaymentRow[] {
  return Object.values(row.state.payments).map((p) => ({
    tenantId: row.tenantId,
    buildId: row.buildId,
    paymentId: p.paymentId,
    invoiceId: p.invoiceId,
    externalTransactionId: p.externalTransactionId,
    method: p.method,
    status: p.status,
    currency: row.currency ?? '',
    amountMinor: p.amountMinor,
    appliedMinor: p.appliedMinor,
    creditMinor: p.creditMinor,
    refundedMinor: p.refundedMinor,
    effectiveDate: p.effectiveDate,
    expiresAt: p.expiresAt,
  }));
}

export interface JournalLineRow {
  tenantId: string;
  buildId: string;
  entryId: string;
  lineNo: number;
  kind: JournalEntry['kind'];
  account: string;
  side: 'debit' | 'credit';
  amountMinor: number;
  currency: string;
  effectiveDate: string;
  recordedAt: string;
  memo: string;
}

/** One row per posting of the entry an event carries (none for events without one). */
export function journalLineRows(event: StreamEvent): JournalLineRow[] {
  const e = { type: event.type, data: event.data } as LedgerEvent;
  const entry = entryOf(e);
  if (!entry) return [];
  return entry.postings.map((p, index) => ({
    tenantId: event.metadata.tenantId,
    buildId: e.data.buildId,
    entryId: entry.entryId,
    lineNo: index + 1,
    kind: entry.kind,
    account: p.account,
    side: p.side,
    amountMinor: p.amountMinor,
    currency: entry.currency,
    effectiveDate: entry.effectiveDate,
    recordedAt: entry.recordedAt,
    memo: entry.memo,
  }));
}

/** The schedule of a ledger row, or none. */
export const scheduleOf = (row: LedgerRow | undefined): readonly SchedulePart[] => row?.state.schedule ?? [];
