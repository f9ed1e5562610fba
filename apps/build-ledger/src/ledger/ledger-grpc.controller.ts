import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { type ledgerInvoicingV1 as proto, ledgerV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { LedgerCommands } from './ledger.commands';
import { LedgerQueries } from './ledger.queries';

const SERVICE = ledgerV1.BUILD_LEDGER_SERVICE_NAME;

/** The ledger RPCs of BuildLedgerService (invoicing.proto): each its context plus one call. */
@Controller()
export class LedgerGrpcController {
  constructor(
    private readonly commands: LedgerCommands,
    private readonly queries: LedgerQueries,
  ) {}

  @GrpcMethod(SERVICE, 'DraftInvoice')
  draftInvoice(request: proto.DraftInvoiceRequest, metadata?: Metadata) {
    return this.commands.draftInvoice(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ReviseInvoiceDraft')
  reviseInvoiceDraft(request: proto.ReviseInvoiceDraftRequest, metadata?: Metadata) {
    return this.commands.reviseInvoiceDraft(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'DiscardInvoiceDraft')
  discardInvoiceDraft(request: proto.DiscardInvoiceDraftRequest, metadata?: Metadata) {
    return this.commands.discardInvoiceDraft(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'IssueInvoice')
  issueInvoice(request: proto.IssueInvoiceRequest, metadata?: Metadata) {
    return this.commands.issueInvoice(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'IssueCreditNote')
  issueCreditNote(request: proto.IssueCreditNoteRequest, metadata?: Metadata) {
    return this.commands.issueCreditNote(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'VoidInvoice')
  voidInvoice(request: proto.VoidInvoiceRequest, metadata?: Metadata) {
    return this.commands.voidInvoice(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'MarkInvoiceUncollectible')
  markInvoiceUncollectible(request: proto.MarkInvoiceUncollectibleRequest, metadata?: Metadata) {
    return this.commands.markInvoiceUncollectible(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'RecordPayment')
  recordPayment(request: proto.RecordPaymentRequest, metadata?: Metadata) {
    return this.commands.recordPayment(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'PostPayment')
  postPayment(request: proto.PostPaymentRequest, metadata?: Metadata) {
    return this.commands.postPayment(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'VoidPayment')
  voidPayment(request: proto.VoidPaymentRequest, metadata?: Metadata) {
    return this.commands.voidPayment(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ExpirePayment')
  expirePayment(request: proto.ExpirePaymentRequest, metadata?: Metadata) {
    return this.commands.expirePayment(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'RefundPayment')
  refundPayment(request: proto.RefundPaymentRequest, metadata?: Metadata) {
    return this.commands.refundPayment(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ReversePayment')
  reversePayment(request: proto.ReversePaymentRequest, metadata?: Metadata) {
    return this.commands.reversePayment(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ApplyCustomerCredit')
  applyCustomerCredit(request: proto.ApplyCustomerCreditRequest, metadata?: Metadata) {
    return this.commands.applyCustomerCredit(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'RecordExpense')
  recordExpense(request: proto.RecordExpenseRequest, metadata?: Metadata) {
    return this.commands.recordExpense(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'VoidExpense')
  voidExpense(request: proto.VoidExpenseRequest, metadata?: Metadata) {
    return this.commands.voidExpense(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'SetPaymentSchedule')
  setPaymentSchedule(request: proto.SetPaymentScheduleRequest, metadata?: Metadata) {
    return this.commands.setPaymentSchedule(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ReplanPaymentSchedule')
  replanPaymentSchedule(request: proto.ReplanPaymentScheduleRequest, metadata?: Metadata) {
    return this.commands.replanPaymentSchedule(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'SetTaxRates')
  setTaxRates(request: proto.SetTaxRatesRequest, metadata?: Metadata) {
    return this.commands.setTaxRates(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'GetTaxRates')
  getTaxRates(_request: proto.GetTaxRatesRequest, metadata?: Metadata) {
    return this.queries.taxRates(queryContext(metadata));
  }

  @GrpcMethod(SERVICE, 'GetBuildLedger')
  getBuildLedger(request: proto.GetBuildLedgerRequest, metadata?: Metadata) {
    return this.queries.getLedger(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'ListInvoices')
  listInvoices(request: proto.ListInvoicesRequest, metadata?: Metadata) {
    return this.queries.listInvoices(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'GetReceivablesAgeing')
  getReceivablesAgeing(request: proto.GetReceivablesAgeingRequest, metadata?: Metadata) {
    return this.queries.receivablesAgeing(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'GetProjectProfitability')
  getProjectProfitability(request: proto.GetProjectProfitabilityRequest, metadata?: Metadata) {
    return this.queries.profitability(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'ListJournalEntries')
  listJournalEntries(request: proto.ListJournalEntriesRequest, metadata?: Metadata) {
    return this.queries.journal(queryContext(metadata), request);
  }
}
