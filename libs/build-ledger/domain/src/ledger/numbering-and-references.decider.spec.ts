import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { invoiceNumberingDecider, type InvoiceNumberingEvent } from './invoice-numbering.decider';
import { meta, TENANT } from './ledger.fixtures';
import { paymentReferenceDecider, type PaymentReferenceEvent } from './payment-reference.decider';

const numbering = deciderSpecification(invoiceNumberingDecider);
const references = deciderSpecification(paymentReferenceDecider);
const assigned = (invoiceId: string, number: number): InvoiceNumberingEvent => ({ type: 'InvoiceNumberAssigned', data: { tenantId: TENANT, invoiceId, buildId: 'build-1', number } });
const assign = (invoiceId: string, number: number) => ({ type: 'AssignInvoiceNumber' as const, data: { invoiceId, buildId: 'build-1', number }, metadata: meta() });

describe('invoice numbering', () => {
  it('assigns only the next number: a stale one (a lost race) is refused, so there is never a gap or a repeat', () => {
    numbering.given([]).when(assign('inv-1', 1)).then([assigned('inv-1', 1)]);
    numbering.given([assigned('inv-1', 1)]).when(assign('inv-2', 2)).then([assigned('inv-2', 2)]);
    numbering.given([assigned('inv-1', 1)]).when(assign('inv-2', 1)).thenThrows(DomainErrorCode.FailedPrecondition);
    numbering.given([assigned('inv-1', 1)]).when(assign('inv-2', 3)).thenThrows(DomainErrorCode.FailedPrecondition);
    numbering.given([assigned('inv-1', 1)]).when(assign('inv-1', 2)).thenThrows(DomainErrorCode.FailedPrecondition);
  });
});

describe('payment references', () => {
  const reserve = (buildId: string, fingerprint: string) => ({ type: 'ReservePaymentReference' as const, data: { paymentId: 'pay-1', buildId, externalTransactionId: 'txn-1', fingerprint }, metadata: meta() });
  const reserved: PaymentReferenceEvent = { type: 'PaymentReferenceReserved', data: { tenantId: TENANT, paymentId: 'pay-1', buildId: 'build-1', externalTransactionId: 'txn-1', fingerprint: 'f1' } };
  it('reserves an external transaction id once per tenant: same data again appends nothing, other data or another build is ALREADY_EXISTS', () => {
    references.given([]).when(reserve('build-1', 'f1')).then([reserved]);
    references.given([reserved]).when(reserve('build-1', 'f1')).then([]);
    references.given([reserved]).when(reserve('build-1', 'f2')).thenThrows(DomainErrorCode.AlreadyExists);
    references.given([reserved]).when(reserve('build-2', 'f1')).thenThrows(DomainErrorCode.AlreadyExists);
  });
});
