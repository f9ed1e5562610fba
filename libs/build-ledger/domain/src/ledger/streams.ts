import { ledgerBuildLedgerEventsV1 } from '@projectflo/contracts';
import { deriveId } from '@projectflo/platform/core';

/** Aggregate types of the ledger: the prefix of their stream names and the key of the relay's topic map. */
export const LEDGER_AGGREGATE_TYPES = { ledger: 'build-ledger', invoiceNumbering: 'invoice-numbering', paymentReference: 'payment-reference', taxRates: 'tax-rates' } as const;

/**
 * What the relay publishes of the ledger: the build ledgers on ledger.build-ledger.v1. The numbering,
 * payment-reference and tax-rates streams are internal (no topic: the relay skips them).
 */
export const LEDGER_TOPICS = { [LEDGER_AGGREGATE_TYPES.ledger]: ledgerBuildLedgerEventsV1.LEDGER_BUILD_LEDGER_TOPIC_V1 } as const;

export const LedgerStreams = {
  /** A build's ledger: its invoices, payments, expenses, schedule and journal. */
  ledger: (buildId: string) => `${LEDGER_AGGREGATE_TYPES.ledger}-${buildId}`,
  invoiceNumbering: (tenantId: string) => `${LEDGER_AGGREGATE_TYPES.invoiceNumbering}-${tenantId}`,
  paymentReference: (paymentId: string) => `${LEDGER_AGGREGATE_TYPES.paymentReference}-${paymentId}`,
  /** A tenant's tax rates (read from the stream by the commands that price invoices). */
  taxRates: (tenantId: string) => `${LEDGER_AGGREGATE_TYPES.taxRates}-${tenantId}`,
} as const;

/** A payment's id: one per (tenant, external transaction id), so a redelivered payment finds itself. */
export const paymentIdOf = (tenantId: string, externalTransactionId: string): string => deriveId('payment', tenantId, externalTransactionId);

/** What a payment says, digested: a repeated external transaction id with another digest is refused. */
export function paymentFingerprint(p: { readonly buildId: string; readonly invoiceId: string; readonly amountMinor: number; readonly currency: string; readonly method: string; readonly effectiveDate: string | null }): string {
  return deriveId('payment-data', p.buildId, p.invoiceId, String(p.amountMinor), p.currency, p.method, p.effectiveDate ?? '');
}
