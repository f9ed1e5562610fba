import type { CommandMetadata } from '@projectflo/platform/core';
import { money } from '../money/money';
import type { BuildFacts } from './build-facts';
import type { InvoiceLineInput, LedgerCommand } from './ledger.commands';
import { decideLedger, evolveLedger, initialLedgerState, type LedgerState } from './ledger.decider';
import type { LedgerEvent } from './ledger.events';
import { paymentFingerprint, paymentIdOf } from './streams';

/** Shared by the ledger's specs and property tests: one tenant, one build, one clock. */
export const TENANT = 'tenant-a';
export const BUILD = 'build-1';
export const NOW = new Date('2026-03-02T09:30:00.000Z');

export const meta = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({ tenantId: TENANT, actorId: 'user-ann', actorKind: 'user', requestId: 'request-1', now: NOW, ...overrides });

export const facts = (overrides: Partial<BuildFacts> = {}): BuildFacts => ({
  buildId: BUILD,
  currency: 'USD',
  approvedTotal: money(1_000_00, 'USD'),
  status: 'booked',
  bookedAt: '2026-03-01T12:00:00.000Z',
  eventDate: '2026-09-12',
  version: 7,
  ...overrides,
});

export const usd = (minor: number) => money(minor, 'USD');
export const line = (unitMinor: number, quantity = '1', taxable = true, overrides: Partial<InvoiceLineInput> = {}): InvoiceLineInput => ({ kind: 'item', description: 'Album', unitPrice: usd(unitMinor), quantity, taxable, ...overrides });

type Intent = LedgerCommand extends infer C ? (C extends LedgerCommand ? { type: C['type']; data: Omit<C['data'], 'buildId'> } : never) : never;

/** A command on BUILD with the shared metadata. */
export const cmd = (intent: Intent, metadata: Partial<CommandMetadata> = {}): LedgerCommand => ({ ...intent, data: { buildId: BUILD, ...intent.data }, metadata: meta(metadata) }) as LedgerCommand;

export function payment(invoiceId: string, amountMinor: number, externalTransactionId: string, method: 'card' | 'bank_transfer' = 'card', effectiveDate: string | null = null): Intent {
  return {
    type: 'RecordPayment',
    data: {
      paymentId: paymentIdOf(TENANT, externalTransactionId),
      invoiceId,
      externalTransactionId,
      method,
      amount: usd(amountMinor),
      effectiveDate,
      fingerprint: paymentFingerprint({ buildId: BUILD, invoiceId, amountMinor, currency: 'USD', method, effectiveDate }),
    },
  };
}

/** Decides commands one after another (each on the state the earlier ones left), returning every event and the state. */
export function run(commands: readonly LedgerCommand[], start: { state?: LedgerState; events?: LedgerEvent[] } = {}): { state: LedgerState; events: LedgerEvent[] } {
  let state = start.state ?? initialLedgerState();
  const events: LedgerEvent[] = [...(start.events ?? [])];
  for (const c of commands) {
    const decided = decideLedger(c, state);
    state = decided.reduce(evolveLedger, state);
    events.push(...decided);
  }
  return { state, events };
}
