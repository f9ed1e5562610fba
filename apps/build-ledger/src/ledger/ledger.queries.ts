import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { formatMoney, LEDGER_LIMITS, type LedgerRow, LedgerStreams, money, taxRatesDecider } from '@projectflo/build-ledger/domain';
import type { ledgerInvoicingV1 as proto } from '@projectflo/contracts';
import { type Clock, CLOCK, DomainError } from '@projectflo/platform/core';
import { optionalCalendarDate, pageRequest, type RequestContext, text, toPage, toTimestamp, validate } from '@projectflo/platform/grpc';
import { withTenantScope } from '@projectflo/platform/persistence';
import { CommandExecutor, MIKRO_ORM } from '@projectflo/platform/service';
import { z } from 'zod';
import { LedgerInvoiceSchema, LedgerJournalLineSchema, LedgerViewSchema } from './ledger.entities';
import { invoiceStatus, invoiceToProto, ledgerToProto, moneyToProto } from './ledger.mapping';

const buildId = text(LEDGER_LIMITS.id, { required: true });
const idPage = pageRequest(z.object({ id: text(LEDGER_LIMITS.id, { required: true }) }));
const entryPage = pageRequest(z.object({ n: z.number().int().min(0) }));
const requests = {
  ledger: z.object({ buildId }),
  invoices: z.object({ buildId: text(LEDGER_LIMITS.id), status: invoiceStatus.optional, page: idPage }),
  ageing: z.object({ asOf: optionalCalendarDate }),
  journal: z.object({ buildId, page: entryPage }),
};

/** The ageing buckets, by days past due on the as-of date. */
export const AGEING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export function ageingBucket(dueDate: string, asOf: string): (typeof AGEING_BUCKETS)[number] {
  const days = Math.floor((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000);
  return days <= 0 ? 'current' : days <= 30 ? '1-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+';
}

/** The ledger's queries, from its read model (ledger_views, ledger_invoices, ledger_journal_lines) inside the caller's tenant. */
@Injectable()
export class LedgerQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The tenant's tax rates, from their stream. */
  async taxRates(ctx: RequestContext): Promise<proto.GetTaxRatesResponse> {
    const { state, version } = await this.executor.load(taxRatesDecider, LedgerStreams.taxRates(ctx.tenantId), ctx.tenantId);
    return { rates: [...state.rates], version: String(version) };
  }

  async getLedger(ctx: RequestContext, request: proto.GetBuildLedgerRequest): Promise<proto.GetBuildLedgerResponse> {
    const r = validate(requests.ledger, request);
    return { ledger: ledgerToProto(r.buildId, await this.row(ctx, r.buildId)) };
  }

  /** Invoices of one build or of the tenant, by id. */
  async listInvoices(ctx: RequestContext, request: proto.ListInvoicesRequest): Promise<proto.ListInvoicesResponse> {
    const r = validate(requests.invoices, request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const rows = await em.find(
        LedgerInvoiceSchema,
        { ...(r.buildId ? { buildId: r.buildId } : {}), ...(r.status ? { status: r.status } : {}), ...(r.page.after ? { invoiceId: { $gt: r.page.after.id } } : {}) },
        { orderBy: { invoiceId: 'asc' }, limit: r.page.size + 1 },
      );
      const { items, nextPageToken } = toPage(rows, r.page, (row) => ({ id: row.invoiceId }));
      return { invoices: items.map(invoiceToProto), page: { nextPageToken } };
    });
  }

  /** What the tenant's customers owe on open invoices, per currency, by days past due on `as_of`. */
  async receivablesAgeing(ctx: RequestContext, request: proto.GetReceivablesAgeingRequest): Promise<proto.GetReceivablesAgeingResponse> {
    const r = validate(requests.ageing, request);
    const asOf = r.asOf || this.clock.now().toISOString().slice(0, 10);
    return withTenantScope(this.orm, ctx.tenantId, async (tx) => {
      const rows = await tx.query<{ currency: string; due_date: string; due: string; invoices: string }>(
        `SELECT currency, due_date, sum(amount_due_minor)::text AS due, count(*)::text AS invoices
           FROM ledger_invoices WHERE amount_due_minor > 0 AND status IN ('issued', 'partially_paid')
          GROUP BY currency, due_date`,
      );
      const byCurrency = new Map<string, Map<string, { due: bigint; invoices: number }>>();
      for (const row of rows) {
        const buckets = byCurrency.get(row.currency) ?? new Map(AGEING_BUCKETS.map((b) => [b, { due: 0n, invoices: 0 }]));
        const bucket = buckets.get(ageingBucket(row.due_date, asOf))!;
        bucket.due += BigInt(row.due);
        bucket.invoices += Number(row.invoices);
        byCurrency.set(row.currency, buckets);
      }
      const currencies = [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, buckets]) => {
        const total = [...buckets.values()].reduce((s, b) => s + b.due, 0n);
        return {
          currency,
          buckets: AGEING_BUCKETS.map((bucket) => ({ bucket, amountDue: moneyToProto(Number(buckets.get(bucket)!.due), currency), invoices: buckets.get(bucket)!.invoices })),
          totalDue: moneyToProto(Number(total), currency),
        };
      });
      return { asOf, currencies };
    });
  }

  /** A project's revenue, expenses (by category; write-offs as "uncollectible") and profit, from its journal's figures. */
  async profitability(ctx: RequestContext, request: proto.GetProjectProfitabilityRequest): Promise<proto.GetProjectProfitabilityResponse> {
    const r = validate(requests.ledger, request);
    const row = await this.row(ctx, r.buildId);
    const currency = row?.currency;
    if (!row || !currency) throw DomainError.notFound('build ledger', r.buildId);
    const f = row.figures;
    const byCategory = new Map<string, number>();
    for (const e of Object.values(row.state.expenses)) if (!e.voided) byCategory.set(e.category, (byCategory.get(e.category) ?? 0) + e.amountMinor);
    const writtenOff = Object.values(row.state.invoices).reduce((s, i) => s + i.writtenOffMinor, 0);
    if (writtenOff > 0) byCategory.set('uncollectible', (byCategory.get('uncollectible') ?? 0) + writtenOff);
    return {
      buildId: r.buildId,
      revenue: moneyToProto(f.revenueMinor, currency),
      expenses: moneyToProto(f.expensesMinor, currency),
      profit: moneyToProto(f.profitMinor, currency),
      marginPercent: f.revenueMinor === 0 ? '' : marginPercent(f.profitMinor, f.revenueMinor),
      byCategory: [...byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([category, amount]) => ({ category, amount: moneyToProto(amount, currency) })),
      totalPaid: moneyToProto(f.totalPaidMinor, currency),
    };
  }

  /** A build's journal, entry by entry in the order they were posted. */
  async journal(ctx: RequestContext, request: proto.ListJournalEntriesRequest): Promise<proto.ListJournalEntriesResponse> {
    const r = validate(requests.journal, request);
    return withTenantScope(this.orm, ctx.tenantId, async ({ em }) => {
      const lines = await em.find(LedgerJournalLineSchema, { buildId: r.buildId });
      const entries = new Map<number, proto.JournalEntry>();
      for (const line of lines) {
        const n = Number(line.entryId.slice(line.entryId.lastIndexOf(':') + 1));
        if (r.page.after && n <= r.page.after.n) continue;
        const entry = entries.get(n) ?? { entryId: line.entryId, kind: line.kind, effectiveDate: line.effectiveDate, recordedAt: toTimestamp(line.recordedAt), memo: line.memo, postings: [] };
        entry.postings[line.lineNo - 1] = { account: line.account, side: line.side, amount: moneyToProto(line.amountMinor, line.currency) };
        entries.set(n, entry);
      }
      const ordered = [...entries].sort(([a], [b]) => a - b);
      const { items, nextPageToken } = toPage(ordered, r.page, ([n]) => ({ n }));
      return { entries: items.map(([, e]) => ({ ...e, postings: e.postings.filter(Boolean) })), page: { nextPageToken } };
    });
  }

  private async row(ctx: RequestContext, id: string): Promise<LedgerRow> {
    const row = await withTenantScope(this.orm, ctx.tenantId, async ({ em }) => em.findOne(LedgerViewSchema, { buildId: id }));
    if (!row) throw DomainError.notFound('build ledger', id);
    return row;
  }
}

/** profit / revenue as a percentage with two decimals, rounded half away from zero (money.ts' rule on a ratio). */
function marginPercent(profit: number, revenue: number): string {
  const basisPoints = Number((BigInt(profit) * 20_000n + BigInt(Math.sign(profit * revenue)) * BigInt(Math.abs(revenue))) / (BigInt(revenue) * 2n));
  return formatMoney(money(basisPoints, 'USD'));
}
