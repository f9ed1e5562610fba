import { assertNever, type Command, defineDecider, DomainError } from '@projectflo/platform/core';

/**
 * One external transaction id per tenant: a stream per (tenant, external transaction id)
 * (`payment-reference-<paymentId>`, the payment id derived from both), appended in the same atomic
 * write as the payment. The same id with the same data is the original payment (nothing appended);
 * with other data — another invoice, amount, method or date, or another build — ALREADY_EXISTS.
 */
export interface PaymentReferenceState {
  readonly reserved: { readonly buildId: string; readonly paymentId: string; readonly fingerprint: string } | null;
}

export type ReservePaymentReference = Command<'ReservePaymentReference', { readonly paymentId: string; readonly buildId: string; readonly externalTransactionId: string; readonly fingerprint: string }>;

export type PaymentReferenceEvent = {
  type: 'PaymentReferenceReserved';
  data: { tenantId: string; paymentId: string; buildId: string; externalTransactionId: string; fingerprint: string };
};

export const paymentReferenceDecider = defineDecider({
  aggregate: 'payment reference',
  schemaVersions: { PaymentReferenceReserved: 1 },
  initialState: (): PaymentReferenceState => ({ reserved: null }),
  evolve: (_state: PaymentReferenceState, event: PaymentReferenceEvent): PaymentReferenceState => {
    switch (event.type) {
      case 'PaymentReferenceReserved':
        return { reserved: { buildId: event.data.buildId, paymentId: event.data.paymentId, fingerprint: event.data.fingerprint } };
      default:
        return assertNever(event.type, 'payment reference event');
    }
  },
  decide: (command: ReservePaymentReference, state: PaymentReferenceState): PaymentReferenceEvent[] => {
    switch (command.type) {
      case 'ReservePaymentReference': {
        const { paymentId, buildId, externalTransactionId, fingerprint } = command.data;
        if (state.reserved === null) return [{ type: 'PaymentReferenceReserved', data: { tenantId: command.metadata.tenantId, paymentId, buildId, externalTransactionId, fingerprint } }];
        if (state.reserved.buildId === buildId && state.reserved.fingerprint === fingerprint) return [];
        throw new DomainError(DomainError.alreadyExists('payment', externalTransactionId).code, `external transaction ${externalTransactionId} was already recorded with other data`, [], {
          what: 'payment',
          id: externalTransactionId,
        });
      }
      default:
        return assertNever(command.type, 'payment reference command');
    }
  },
});
