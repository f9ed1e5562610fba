import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { evolveLedgerRow, invoiceLinesOf, invoiceRows, journalLineRows, ledgerDecider, type LedgerRow, paymentRows } from '@projectflo/build-ledger/domain';
import type { RecordedEvent } from '@projectflo/platform/core';
import { rowProjection } from '@projectflo/platform/persistence';
import { LedgerInvoiceSchema, LedgerJournalLineSchema, LedgerPaymentSchema, LedgerViewSchema } from './ledger.entities';

export const LEDGER_EVENT_TYPES: readonly string[] = Object.keys(ledgerDecider.schemaVersions);

/**
 * A build's ledger: the ledger row (rowProjection of evolveLedgerRow, idempotent by the stream
 * version), and beside it, once the row took the event, the invoice and payment rows of the new
 * state and the journal lines of the event's entry.
 */
export const ledgerProjection = rowProjection({
  name: 'build-ledger-ledgers',
  handles: LEDGER_EVENT_TYPES,
  entity: LedgerViewSchema,
  table: 'ledger_views',
  key: (event) => ({ buildId: (event.data as { buildId: string }).buildId }),
  fold: evolveLedgerRow,
  alongside: { tables: ['ledger_invoices', 'ledger_payments', 'ledger_journal_lines'], apply: applyAlongside },
});

async function applyAlongside(em: EntityManager, event: RecordedEvent): Promise<void> {
  // The row the main fold just wrote: the identity map's (managed, not yet flushed) instance.
  const row: LedgerRow | null = await em.findOne(LedgerViewSchema, { buildId: (event.data as { buildId: string }).buildId });
  if (!row) return;
  const invoiceId = (event.data as { invoiceId?: string }).invoiceId;
  const paymentId = (event.data as { paymentId?: string }).paymentId;
  if (invoiceId !== undefined) {
    const derived = invoiceRows(row).find((i) => i.invoiceId === invoiceId);
    const current = await em.findOne(LedgerInvoiceSchema, { invoiceId });
    const next = derived && { ...derived, lines: invoiceLinesOf(event) ?? current?.lines ?? [] };
    if (!next && current) em.remove(current);
    else if (next && current) Object.assign(current, next);
    else if (next) em.create(LedgerInvoiceSchema, next as RequiredEntityData<typeof next>);
  }
  if (paymentId !== undefined) {
    const next = paymentRows(row).find((p) => p.paymentId === paymentId);
    const current = await em.findOne(LedgerPaymentSchema, { paymentId });
    if (next && current) Object.assign(current, next);
    else if (next) em.create(LedgerPaymentSchema, next as RequiredEntityData<typeof next>);
  }
  for (const line of journalLineRows(event)) em.create(LedgerJournalLineSchema, line as RequiredEntityData<typeof line>);
}
