import { Inject, Injectable } from '@nestjs/common';
import {
  evolveLedgerRow,
  invoiceNumberingDecider,
  LEDGER_LIMITS,
  type LedgerCommand,
  ledgerDecider,
  LedgerStreams,
  type Money,
  nextInvoiceNumber,
  own,
  parseMoney,
  paymentFingerprint,
  paymentIdOf,
  paymentReferenceDecider,
  TAX_RATE_LIMITS,
  taxRatePercent,
  taxRatesDecider,
} from '@projectflo/build-ledger/domain';
import type { ledgerInvoicingV1 as proto } from '@projectflo/contracts';
import { deriveId, DomainError, VersionConflictError, Violations } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, list, optionalCalendarDate, text, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor, commandOn } from '@projectflo/platform/service';
import { z } from 'zod';
import { BUILD_FACTS, type BuildFactsSource } from './build-facts.reader';
import { creditNoteSettlement, invoiceLineKind, ledgerToProto, paymentMethod, scheduleAnchor } from './ledger.mapping';

const ID = /^[A-Za-z0-9._:@-]+$/;
const idField = text(LEDGER_LIMITS.id, { required: true, pattern: ID, patternDescription: 'must be 1-128 characters of letters, digits and . _ : @ -' });
const moneyField = z.object({ currency: text(3), amount: text(40) }).nullish();
const reason = text(LEDGER_LIMITS.reason, { required: true });
const lineInput = z.object({ kind: invoiceLineKind.required, description: text(LEDGER_LIMITS.description, { required: true }), unitPrice: moneyField, quantity: text(20, { required: true }), taxable: z.boolean() });
const draftFields = { lines: list(lineInput, LEDGER_LIMITS.lines), taxRatePercent: text(12), taxRateCode: text(TAX_RATE_LIMITS.code), dueDate: optionalCalendarDate };

const requests = {
  draft: z.object({ buildId: idField, ...draftFields, schedulePartId: text(LEDGER_LIMITS.id) }),
  revise: z.object({ buildId: idField, invoiceId: idField, ...draftFields, expectedVersion }),
  discard: z.object({ buildId: idField, invoiceId: idField, expectedVersion }),
  issue: z.object({ buildId: idField, invoiceId: idField, issueDate: optionalCalendarDate, expectedVersion }),
  creditNote: z.object({ buildId: idField, invoiceId: idField, amount: moneyField, reason, settlement: creditNoteSettlement.required, expectedVersion }),
  voidInvoice: z.object({ buildId: idField, invoiceId: idField, reason, expectedVersion }),
  payment: z.object({
    buildId: idField,
    invoiceId: idField,
    externalTransactionId: text(LEDGER_LIMITS.externalTransactionId, { required: true }),
    method: paymentMethod.required,
    amount: moneyField,
    effectiveDate: optionalCalendarDate,
  }),
  post: z.object({ buildId: idField, paymentId: idField, effectiveDate: optionalCalendarDate }),
  voidPayment: z.object({ buildId: idField, paymentId: idField, reason }),
  expire: z.object({ buildId: idField, paymentId: idField }),
  refund: z.object({ buildId: idField, paymentId: idField, amount: moneyField, reason, effectiveDate: optionalCalendarDate }),
  applyCredit: z.object({ buildId: idField, invoiceId: idField, amount: moneyField }),
  expense: z.object({
    buildId: idField,
    category: text(LEDGER_LIMITS.category, { required: true }),
    description: text(LEDGER_LIMITS.description),
    amount: moneyField,
    receiptUrl: text(LEDGER_LIMITS.receiptUrl, { pattern: /^https?:\/\/\S+$/, patternDescription: 'must be an http(s) URL' }),
    effectiveDate: optionalCalendarDate,
  }),
  voidExpense: z.object({ buildId: idField, expenseId: idField, reason }),
  schedule: z.object({
    buildId: idField,
    parts: list(
      z.object({
        label: text(LEDGER_LIMITS.description, { required: true }),
        percent: text(12, { required: true }),
        anchor: scheduleAnchor.required,
        offsetDays: z.number().int().min(-LEDGER_LIMITS.offsetDays).max(LEDGER_LIMITS.offsetDays),
        fixedDate: optionalCalendarDate,
      }),
      LEDGER_LIMITS.scheduleParts,
    ),
    expectedVersion,
  }),
  replan: z.object({ buildId: idField }),
  taxRates: z.object({ rates: list(z.object({ code: text(TAX_RATE_LIMITS.code), name: text(TAX_RATE_LIMITS.name), percent: text(12) }), TAX_RATE_LIMITS.rates), expectedVersion }),
};

/** Money of a request, checked against its currency's precision (parseMoney); "is required" when absent. */
function moneyOf(v: Violations, field: string, value: { currency: string; amount: string } | null | undefined): Money {
  if (!value) {
    v.add(field, 'is required');
    return { amountMinor: 0, currency: 'XXX' };
  }
  return parseMoney(v, field, value.amount, value.currency) ?? { amountMinor: 0, currency: value.currency };
}

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

/** The most times an issue is decided again after losing the race for the tenant's next invoice number. */
const NUMBER_RACE_RETRIES = 8;

/**
 * The ledger's commands: each validates its request, reads the build's facts from the build's
 * stream where the decision needs them, and runs the ledger decider on the build's ledger stream,
 * replying with the ledger as the read model folds it (evolveLedgerRow). Issuing an invoice and
 * recording a payment write two streams at once (the tenant's numbering, the payment reference).
 */
@Injectable()
export class LedgerCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(BUILD_FACTS) private readonly builds: BuildFactsSource,
  ) {}

  async draftInvoice(ctx: CommandContext, request: proto.DraftInvoiceRequest): Promise<proto.DraftInvoiceResponse> {
    const r = validate(requests.draft, request);
    const lines = this.lines(r.lines);
    const taxRatePercent = await this.taxRate(ctx, r);
    const build = await this.builds.of(ctx.tenantId, r.buildId);
    const invoiceId = deriveId('invoice', ctx.tenantId, ctx.requestId);
    const ledger = await this.run(ctx, r.buildId, {
      type: 'DraftInvoice',
      data: { buildId: r.buildId, invoiceId, build, lines, taxRatePercent, dueDate: r.dueDate, schedulePartId: orNull(r.schedulePartId) },
    });
    return { invoiceId, ledger };
  }

  async reviseInvoiceDraft(ctx: CommandContext, request: proto.ReviseInvoiceDraftRequest): Promise<proto.ReviseInvoiceDraftResponse> {
    const r = validate(requests.revise, request);
    const lines = this.lines(r.lines);
    const data = { buildId: r.buildId, invoiceId: r.invoiceId, lines, taxRatePercent: await this.taxRate(ctx, r), dueDate: r.dueDate };
    return { ledger: await this.run(ctx, r.buildId, { type: 'ReviseInvoiceDraft', data }, r.expectedVersion) };
  }

  async discardInvoiceDraft(ctx: CommandContext, request: proto.DiscardInvoiceDraftRequest): Promise<proto.DiscardInvoiceDraftResponse> {
    const r = validate(requests.discard, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'DiscardInvoiceDraft', data: { buildId: r.buildId, invoiceId: r.invoiceId } }, r.expectedVersion) };
  }

  /**
   * Issues with the tenant's next number: the numbering stream and the ledger are appended in one
   * atomic write, the numbering stream at the version the number was read at. A lost race (another
   * issue took the number first) is decided again with the next number, so numbers stay gap-free.
   */
  async issueInvoice(ctx: CommandContext, request: proto.IssueInvoiceRequest): Promise<proto.IssueInvoiceResponse> {
    const r = validate(requests.issue, request);
    const numberingStream = LedgerStreams.invoiceNumbering(ctx.tenantId);
    for (let attempt = 0; ; attempt++) {
      const numbering = await this.executor.load(invoiceNumberingDecider, numberingStream, ctx.tenantId);
      const number = nextInvoiceNumber(numbering.state);
      try {
        const [, issued] = await this.executor.runAtomically(
          [
            commandOn(invoiceNumberingDecider, numberingStream, { type: 'AssignInvoiceNumber', data: { invoiceId: r.invoiceId, buildId: r.buildId, number } }, { expectedVersion: numbering.version }),
            commandOn(ledgerDecider, LedgerStreams.ledger(r.buildId), { type: 'IssueInvoice', data: { buildId: r.buildId, invoiceId: r.invoiceId, number, issueDate: orNull(r.issueDate) } }, {
              expectedVersion: r.expectedVersion,
              view: evolveLedgerRow,
            }),
          ] as const,
          { context: ctx },
        );
        const invoice = issued.view ? own(issued.view.state.invoices, r.invoiceId) : undefined;
        return { invoiceNumber: invoice?.invoiceNumber ?? '', ledger: ledgerToProto(r.buildId, issued.view) };
      } catch (error) {
        const lostRace = error instanceof VersionConflictError && (error.streamName === numberingStream || r.expectedVersion === undefined);
        if (lostRace && attempt < NUMBER_RACE_RETRIES) continue;
        throw error;
      }
    }
  }

  async issueCreditNote(ctx: CommandContext, request: proto.IssueCreditNoteRequest): Promise<proto.IssueCreditNoteResponse> {
    const r = validate(requests.creditNote, request);
    const v = new Violations();
    const amount = moneyOf(v, 'amount', r.amount);
    v.throwIfAny();
    const creditNoteId = deriveId('credit-note', ctx.tenantId, ctx.requestId);
    const data = { buildId: r.buildId, invoiceId: r.invoiceId, creditNoteId, amount, reason: r.reason, settlement: r.settlement };
    return { creditNoteId, ledger: await this.run(ctx, r.buildId, { type: 'IssueCreditNote', data }, r.expectedVersion) };
  }

  async voidInvoice(ctx: CommandContext, request: proto.VoidInvoiceRequest): Promise<proto.VoidInvoiceResponse> {
    const r = validate(requests.voidInvoice, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'VoidInvoice', data: { buildId: r.buildId, invoiceId: r.invoiceId, reason: r.reason } }, r.expectedVersion) };
  }

  async markInvoiceUncollectible(ctx: CommandContext, request: proto.MarkInvoiceUncollectibleRequest): Promise<proto.MarkInvoiceUncollectibleResponse> {
    const r = validate(requests.voidInvoice, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'MarkInvoiceUncollectible', data: { buildId: r.buildId, invoiceId: r.invoiceId, reason: r.reason } }, r.expectedVersion) };
  }

  /**
   * Records a payment under its external transaction id: the tenant-wide reference and the ledger in
   * one atomic write. The same id with the same data returns the original payment (nothing appended);
   * with other data — another amount, invoice, method, date or build — ALREADY_EXISTS.
   */
  async recordPayment(ctx: CommandContext, request: proto.RecordPaymentRequest): Promise<proto.RecordPaymentResponse> {
    const r = validate(requests.payment, request);
    const v = new Violations();
    const amount = moneyOf(v, 'amount', r.amount);
    v.throwIfAny();
    const paymentId = paymentIdOf(ctx.tenantId, r.externalTransactionId);
    const effectiveDate = orNull(r.effectiveDate);
    const fingerprint = paymentFingerprint({ buildId: r.buildId, invoiceId: r.invoiceId, amountMinor: amount.amountMinor, currency: amount.currency, method: r.method, effectiveDate });
    const [, recorded] = await this.executor.runAtomically(
      [
        commandOn(paymentReferenceDecider, LedgerStreams.paymentReference(paymentId), {
          type: 'ReservePaymentReference',
          data: { paymentId, buildId: r.buildId, externalTransactionId: r.externalTransactionId, fingerprint },
        }),
        commandOn(
          ledgerDecider,
          LedgerStreams.ledger(r.buildId),
          { type: 'RecordPayment', data: { buildId: r.buildId, paymentId, invoiceId: r.invoiceId, externalTransactionId: r.externalTransactionId, method: r.method, amount, effectiveDate, fingerprint } },
          { view: evolveLedgerRow },
        ),
      ] as const,
      { context: ctx },
    );
    return { paymentId, ledger: ledgerToProto(r.buildId, recorded.view) };
  }

  async postPayment(ctx: CommandContext, request: proto.PostPaymentRequest): Promise<proto.PostPaymentResponse> {
    const r = validate(requests.post, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'PostPayment', data: { buildId: r.buildId, paymentId: r.paymentId, effectiveDate: orNull(r.effectiveDate) } }) };
  }

  async voidPayment(ctx: CommandContext, request: proto.VoidPaymentRequest): Promise<proto.VoidPaymentResponse> {
    const r = validate(requests.voidPayment, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'VoidPayment', data: { buildId: r.buildId, paymentId: r.paymentId, reason: r.reason } }) };
  }

  async expirePayment(ctx: CommandContext, request: proto.ExpirePaymentRequest): Promise<proto.ExpirePaymentResponse> {
    const r = validate(requests.expire, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'ExpirePayment', data: { buildId: r.buildId, paymentId: r.paymentId } }) };
  }

  async refundPayment(ctx: CommandContext, request: proto.RefundPaymentRequest): Promise<proto.RefundPaymentResponse> {
    const r = validate(requests.refund, request);
    const v = new Violations();
    const amount = moneyOf(v, 'amount', r.amount);
    v.throwIfAny();
    const refundId = deriveId('refund', ctx.tenantId, ctx.requestId);
    const data = { buildId: r.buildId, paymentId: r.paymentId, refundId, amount, reason: r.reason, effectiveDate: orNull(r.effectiveDate) };
    return { refundId, ledger: await this.run(ctx, r.buildId, { type: 'RefundPayment', data }) };
  }

  async reversePayment(ctx: CommandContext, request: proto.ReversePaymentRequest): Promise<proto.ReversePaymentResponse> {
    const r = validate(requests.voidPayment, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'ReversePayment', data: { buildId: r.buildId, paymentId: r.paymentId, reason: r.reason } }) };
  }

  async applyCustomerCredit(ctx: CommandContext, request: proto.ApplyCustomerCreditRequest): Promise<proto.ApplyCustomerCreditResponse> {
    const r = validate(requests.applyCredit, request);
    const v = new Violations();
    const amount = moneyOf(v, 'amount', r.amount);
    v.throwIfAny();
    return { ledger: await this.run(ctx, r.buildId, { type: 'ApplyCustomerCredit', data: { buildId: r.buildId, invoiceId: r.invoiceId, amount } }) };
  }

  async recordExpense(ctx: CommandContext, request: proto.RecordExpenseRequest): Promise<proto.RecordExpenseResponse> {
    const r = validate(requests.expense, request);
    const v = new Violations();
    const amount = moneyOf(v, 'amount', r.amount);
    v.throwIfAny();
    const build = await this.builds.of(ctx.tenantId, r.buildId);
    const expenseId = deriveId('expense', ctx.tenantId, ctx.requestId);
    const data = { buildId: r.buildId, build, expenseId, category: r.category, description: r.description, amount, receiptUrl: orNull(r.receiptUrl), effectiveDate: orNull(r.effectiveDate) };
    return { expenseId, ledger: await this.run(ctx, r.buildId, { type: 'RecordExpense', data }) };
  }

  async voidExpense(ctx: CommandContext, request: proto.VoidExpenseRequest): Promise<proto.VoidExpenseResponse> {
    const r = validate(requests.voidExpense, request);
    return { ledger: await this.run(ctx, r.buildId, { type: 'VoidExpense', data: { buildId: r.buildId, expenseId: r.expenseId, reason: r.reason } }) };
  }

  async setPaymentSchedule(ctx: CommandContext, request: proto.SetPaymentScheduleRequest): Promise<proto.SetPaymentScheduleResponse> {
    const r = validate(requests.schedule, request);
    const build = await this.builds.of(ctx.tenantId, r.buildId);
    const parts = r.parts.map((p) => ({ ...p, fixedDate: orNull(p.fixedDate) }));
    return { ledger: await this.run(ctx, r.buildId, { type: 'SetPaymentSchedule', data: { buildId: r.buildId, build, parts } }, r.expectedVersion) };
  }

  async replanPaymentSchedule(ctx: CommandContext, request: proto.ReplanPaymentScheduleRequest): Promise<proto.ReplanPaymentScheduleResponse> {
    const r = validate(requests.replan, request);
    const build = await this.builds.of(ctx.tenantId, r.buildId);
    return { ledger: await this.run(ctx, r.buildId, { type: 'ReplanPaymentSchedule', data: { buildId: r.buildId, build } }) };
  }

  /** Replaces the tenant's tax rates (their own stream). */
  async setTaxRates(ctx: CommandContext, request: proto.SetTaxRatesRequest): Promise<proto.SetTaxRatesResponse> {
    const r = validate(requests.taxRates, request);
    const result = await this.executor.run(taxRatesDecider, LedgerStreams.taxRates(ctx.tenantId), { type: 'SetTaxRates', data: { rates: r.rates } }, { context: ctx, expectedVersion: r.expectedVersion });
    return { rates: [...result.state.rates], version: String(result.version) };
  }

  /** The percentage a draft is taxed at: the tenant's rate by code (read from its stream, captured now), or the one given. */
  private async taxRate(ctx: CommandContext, r: { readonly taxRatePercent: string; readonly taxRateCode: string }): Promise<string | null> {
    if (r.taxRateCode === '') return orNull(r.taxRatePercent);
    if (r.taxRatePercent !== '') throw DomainError.invalid({ field: 'taxRateCode', description: 'give either tax_rate_code or tax_rate_percent, not both' });
    const { state } = await this.executor.load(taxRatesDecider, LedgerStreams.taxRates(ctx.tenantId), ctx.tenantId);
    return taxRatePercent(state, r.taxRateCode, 'taxRateCode');
  }

  private lines(lines: z.output<typeof lineInput>[]) {
    const v = new Violations();
    const parsed = lines.map((l, index) => ({ kind: l.kind, description: l.description, quantity: l.quantity.trim(), taxable: l.taxable, unitPrice: moneyOf(v, `lines[${index}].unitPrice`, l.unitPrice) }));
    v.throwIfAny();
    return parsed;
  }

  private async run(ctx: CommandContext, buildId: string, intent: CommandIntent<LedgerCommand>, version?: number): Promise<proto.BuildLedger> {
    const result = await this.executor.run(ledgerDecider, LedgerStreams.ledger(buildId), intent, { context: ctx, expectedVersion: version, view: evolveLedgerRow });
    return ledgerToProto(buildId, result.view);
  }
}
