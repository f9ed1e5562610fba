/*
 * Model-based property tests of the ledger (fast-check's command model): random sequences of ledger
 * commands run through the real command handlers (LedgerCommands on CommandExecutor over the
 * in-memory event store, atomic multi-stream appends included) and, side by side, through a simple
 * integer-cents model. Kafka deliveries of the ledger topic to the read-model projection are
 * interleaved across partitions (one per build), duplicated, rewound by a consumer crash between the
 * append and the projection's commit, and replayed from offset 0. Checked after every step:
 * conservation (per currency, Σ debits = Σ credits), consistency (the journal's figures equal the
 * model and the command's reply), bounds (no negative credit or amount due, refunds within what was
 * paid), gap-free invoice numbers, atomicity (an invalid command appends nothing) and at-most-once
 * (a repeated request or external transaction changes nothing); at the end the projection, drained,
 * equals the fold of the journal, and a second run of the same commands gives the same log
 * (determinism). A failure prints fast-check's seed and path: replay with LEDGER_MODEL_SEED=<seed>
 * (and LEDGER_MODEL_PATH=<path>); LEDGER_MODEL_RUNS=<n> runs more sequences (default 100).
 */
import { type BuildFacts, evolveLedgerRow, journalLineRows, type JournalEntry, ledgerFigures, type LedgerRow, LedgerStreams, money, paymentIdOf, trialBalance } from '@projectflo/build-ledger/domain';
import type { ledgerInvoicingV1 as proto } from '@projectflo/contracts';
import { DomainError, DomainErrorCode, FixedClock, type RecordedEvent } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import { type CommandContext, requestFingerprint } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import fc from 'fast-check';
import type { BuildFactsSource } from './build-facts.reader';
import { LedgerCommands } from './ledger.commands';

const TENANT = '7d6f1c1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f';
const BUILDS = ['build-a', 'build-b'] as const;
const EXTERNAL_IDS = ['txn-1', 'txn-2', 'txn-3', 'txn-4', 'txn-5', 'wire-1', 'wire-2'] as const;
const TAX_RATE = 10;

const facts = (buildId: string): BuildFacts => ({ buildId, currency: 'USD', approvedTotal: money(1_000_00, 'USD'), status: 'booked', bookedAt: '2026-03-01T00:00:00.000Z', eventDate: '2026-09-12', version: 3 });
const builds: BuildFactsSource = {
  of: async (tenantId, buildId) => {
    if (tenantId !== TENANT || !(BUILDS as readonly string[]).includes(buildId)) throw DomainError.notFound('build', buildId);
    return facts(buildId);
  },
};
const usd = (minor: number) => ({ currency: 'USD', amount: (minor / 100).toFixed(2) });

// ───────────── the model: integer cents, nothing else ─────────────

interface ModelInvoice {
  invoiceId: string;
  build: string;
  total: number;
  credited: number;
  paid: number;
  writtenOff: number;
  lifecycle: 'issued' | 'void' | 'uncollectible';
}
interface ModelPayment {
  build: string;
  invoiceId: string;
  amount: number;
  method: 'card' | 'bank_transfer';
  status: 'pending' | 'posted' | 'voided' | 'reversed';
  applied: number;
  credit: number;
  refunded: number;
  refundedFromInvoice: number;
}
interface ModelBuild {
  credit: number;
  totalPaid: number;
  expenses: number;
}
interface Model {
  invoices: ModelInvoice[];
  payments: Map<string, ModelPayment>;
  builds: Record<string, ModelBuild>;
  lastNumber: number;
}
const due = (i: ModelInvoice) => (i.lifecycle !== 'issued' ? 0 : i.total - i.credited - i.paid - i.writtenOff);

// ───────────── the real system ─────────────

/** Messages of the ledger topic, one partition per build, and a consumer with committed and delivered offsets. */
class ReadModel {
  readonly rows = new Map<string, LedgerRow>();
  readonly lines = new Map<string, unknown>();
  readonly committed = new Map<string, number>();
  readonly delivered = new Map<string, number>();

  apply(event: RecordedEvent): void {
    const buildId = (event.data as { buildId: string }).buildId;
    const current = this.rows.get(buildId);
    if (current && event.streamPosition <= current.version) return;
    const next = evolveLedgerRow(current ? structuredClone(current) : undefined, event);
    if (!next) return;
    this.rows.set(buildId, next);
    for (const line of journalLineRows(event)) this.lines.set(`${line.entryId}#${line.lineNo}`, line);
  }
}

class Real {
  readonly store = new InMemoryEventStore({ clock: new FixedClock(new Date('2026-03-02T09:30:00.000Z')) });
  readonly clock = new FixedClock(new Date('2026-03-02T09:30:00.000Z'));
  readonly commands = new LedgerCommands(new CommandExecutor(this.store, this.clock), builds);
  readonly readModel = new ReadModel();
  private requests = 0;
  last?: { method: keyof LedgerCommands; ctx: CommandContext; request: unknown; reply: unknown };

  context(request: unknown, requestId?: string): CommandContext {
    return { tenantId: TENANT, actorId: 'user-ann', actorKind: 'user', roles: ['manager'], requestId: requestId ?? `request-${++this.requests}`, requestFingerprint: requestFingerprint(request) };
  }

  async call<R>(method: keyof LedgerCommands, request: unknown): Promise<R> {
    const ctx = this.context(request);
    const reply = await (this.commands[method] as (c: CommandContext, r: unknown) => Promise<R>).call(this.commands, ctx, request);
    this.last = { method, ctx, request, reply };
    return reply;
  }

  async log(): Promise<RecordedEvent[]> {
    return this.store.readAll({ limit: 1_000_000 });
  }

  async partition(buildId: string): Promise<RecordedEvent[]> {
    return (await this.store.readStream(LedgerStreams.ledger(buildId))).events;
  }

  async entries(buildId?: string): Promise<JournalEntry[]> {
    const events = buildId ? await this.partition(buildId) : await this.log();
    return events.flatMap((e) => {
      const entry = (e.data as { entry?: JournalEntry | null }).entry;
      return entry ? [entry] : [];
    });
  }
}

async function refused(promise: Promise<unknown>): Promise<DomainErrorCode | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/** Every invariant the model and the journal must share, after every command. */
async function checkInvariants(m: Model, r: Real): Promise<void> {
  const all = await r.entries();
  for (const [currency, net] of Object.entries(trialBalance(all))) expect([currency, net]).toEqual([currency, 0]);
  for (const build of BUILDS) {
    const f = ledgerFigures(await r.entries(build));
    const b = m.builds[build]!;
    const dueTotal = m.invoices.filter((i) => i.build === build).reduce((s, i) => s + due(i), 0);
    expect({ build, paid: f.totalPaidMinor, due: f.balanceDueMinor, credit: f.customerCreditMinor, expenses: f.expensesMinor }).toEqual({ build, paid: b.totalPaid, due: dueTotal, credit: b.credit, expenses: b.expenses });
    expect(f.customerCreditMinor).toBeGreaterThanOrEqual(0);
  }
  for (const i of m.invoices) expect([due(i) >= 0, i.paid >= 0]).toEqual([true, true]);
  for (const p of m.payments.values()) expect(p.refunded).toBeLessThanOrEqual(p.amount);
  const numbers = (await r.log()).filter((e) => e.type === 'InvoiceIssued').map((e) => (e.data as { number: number }).number);
  expect(numbers).toEqual(numbers.map((_, index) => index + 1));
}

type LedgerStep = fc.AsyncCommand<Model, Real>;

/** An amount: random cents, or at a bound the model knows (the bound itself, one cent under or over). */
type AmountPick = { readonly cents: number; readonly boundary: -1 | 0 | 1 | null };
const pick = (a: AmountPick, bound: number): number => (a.boundary === null || bound + a.boundary <= 0 ? a.cents : bound + a.boundary);
const showPick = (a: AmountPick) => (a.boundary === null ? String(a.cents) : `bound${a.boundary >= 0 ? '+' : ''}${a.boundary}`);

const step = (name: string, run: (m: Model, r: Real) => Promise<void>, check: (m: Readonly<Model>) => boolean = () => true): LedgerStep => ({
  check,
  run: async (m, r) => {
    await run(m, r);
    await checkInvariants(m, r);
  },
  toString: () => name,
});

// ───────────── the commands ─────────────

const issueInvoice = (build: string, lines: readonly { unit: number; qty: number; taxable: boolean }[]) =>
  step(`issue(${build}, ${JSON.stringify(lines)})`, async (m, r) => {
    const drafted = await r.call<proto.DraftInvoiceResponse>('draftInvoice', {
      buildId: build,
      lines: lines.map((l) => ({ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Album', unitPrice: usd(l.unit), quantity: String(l.qty), taxable: l.taxable })),
      taxRatePercent: String(TAX_RATE),
      dueDate: '2026-04-30',
      schedulePartId: '',
      taxRateCode: '',
    });
    const issued = await r.call<proto.IssueInvoiceResponse>('issueInvoice', { buildId: build, invoiceId: drafted.invoiceId, issueDate: '' });
    // The model's tax: per line, rounded half away from zero, in integers.
    const total = lines.reduce((s, l) => s + l.unit * l.qty + (l.taxable ? Math.floor((l.unit * l.qty * TAX_RATE + 50) / 100) : 0), 0);
    m.lastNumber += 1;
    expect(issued.invoiceNumber).toBe(`INV-${String(m.lastNumber).padStart(6, '0')}`);
    m.invoices.push({ invoiceId: drafted.invoiceId, build, total, credited: 0, paid: 0, writtenOff: 0, lifecycle: 'issued' });
    expect(issued.ledger?.invoices.find((i) => i.invoiceId === drafted.invoiceId)?.total?.amount).toBe((total / 100).toFixed(2));
  });

const settle = (m: Model, p: ModelPayment) => {
  const invoice = m.invoices.find((i) => i.invoiceId === p.invoiceId)!;
  p.applied = Math.min(p.amount, due(invoice));
  p.credit = p.amount - p.applied;
  invoice.paid += p.applied;
  m.builds[p.build]!.credit += p.credit;
  m.builds[p.build]!.totalPaid += p.amount;
  p.status = 'posted';
};

const pay = (invoiceIndex: number, amountPick: AmountPick, ext: string, method: 'card' | 'bank_transfer', replyEquals: boolean) =>
  step(
    `pay(#${invoiceIndex}, ${showPick(amountPick)}, ${ext}, ${method})`,
    async (m, r) => {
      const invoice = m.invoices[invoiceIndex % m.invoices.length]!;
      const amount = pick(amountPick, due(invoice));
      const request = { buildId: invoice.build, invoiceId: invoice.invoiceId, externalTransactionId: ext, method: method === 'card' ? 'PAYMENT_METHOD_CARD' : 'PAYMENT_METHOD_BANK_TRANSFER', amount: usd(amount), effectiveDate: '' };
      const before = (await r.log()).length;
      const known = m.payments.get(ext);
      const outcome = await refused(r.call('recordPayment', request));
      if (known) {
        const same = known.build === invoice.build && known.invoiceId === invoice.invoiceId && known.amount === amount && known.method === method;
        // At most once: the same transaction again is the original payment; other data is refused.
        expect(outcome).toBe(same ? 'accepted' : DomainErrorCode.AlreadyExists);
        expect((await r.log()).length).toBe(before);
        if (same && replyEquals) expect((r.last?.reply as proto.RecordPaymentResponse).paymentId).toBe(paymentIdOf(TENANT, ext));
        return;
      }
      if (invoice.lifecycle !== 'issued') {
        expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
        return expect((await r.log()).length).toBe(before);
      }
      expect(outcome).toBe('accepted');
      const p: ModelPayment = { build: invoice.build, invoiceId: invoice.invoiceId, amount, method, status: 'pending', applied: 0, credit: 0, refunded: 0, refundedFromInvoice: 0 };
      m.payments.set(ext, p);
      if (method === 'card') settle(m, p);
    },
    (m) => m.invoices.length > 0,
  );

const resolvePending = (ext: string, how: 'post' | 'void') =>
  step(`${how}(${ext})`, async (m, r) => {
    const p = m.payments.get(ext);
    const build = p?.build ?? BUILDS[0];
    const paymentId = paymentIdOf(TENANT, ext);
    const before = (await r.log()).length;
    const outcome = await refused(how === 'post' ? r.call('postPayment', { buildId: build, paymentId, effectiveDate: '' }) : r.call('voidPayment', { buildId: build, paymentId, reason: 'bounced' }));
    if (!p) return expect(outcome).toBe(DomainErrorCode.NotFound);
    if (p.status !== 'pending') {
      expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
      return expect((await r.log()).length).toBe(before);
    }
    expect(outcome).toBe('accepted');
    if (how === 'post') settle(m, p);
    else p.status = 'voided';
  });

const refund = (ext: string, amountPick: AmountPick) =>
  step(`refund(${ext}, ${showPick(amountPick)})`, async (m, r) => {
    const p = m.payments.get(ext);
    const before = (await r.log()).length;
    const holder = p ? m.invoices.find((i) => i.invoiceId === p.invoiceId)! : undefined;
    const room = (i: ModelInvoice, q: ModelPayment) => (i.lifecycle !== 'issued' ? 0 : Math.max(0, Math.min(q.applied - q.refundedFromInvoice, i.paid)));
    const bound = p && holder ? Math.min(p.amount - p.refunded, m.builds[p.build]!.credit + room(holder, p)) : 0;
    const amount = pick(amountPick, bound);
    const outcome = await refused(r.call('refundPayment', { buildId: p?.build ?? BUILDS[0], paymentId: paymentIdOf(TENANT, ext), amount: usd(amount), reason: 'cancelled', effectiveDate: '' }));
    if (!p) return expect(outcome).toBe(DomainErrorCode.NotFound);
    if (p.status !== 'posted') return expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
    const b = m.builds[p.build]!;
    const invoice = m.invoices.find((i) => i.invoiceId === p.invoiceId)!;
    const refundable = Math.min(p.amount - p.refunded, b.credit + room(invoice, p));
    if (amount > refundable) {
      expect(outcome).toBe(DomainErrorCode.InvalidArgument);
      return expect((await r.log()).length).toBe(before);
    }
    expect(outcome).toBe('accepted');
    const fromCredit = Math.min(amount, b.credit);
    b.credit -= fromCredit;
    invoice.paid -= amount - fromCredit;
    p.refunded += amount;
    p.refundedFromInvoice += amount - fromCredit;
    b.totalPaid -= amount;
  });

const creditNote = (invoiceIndex: number, amountPick: AmountPick, settlement: 'customer_credit' | 'refund') =>
  step(
    `creditNote(#${invoiceIndex}, ${showPick(amountPick)}, ${settlement})`,
    async (m, r) => {
      const invoice = m.invoices[invoiceIndex % m.invoices.length]!;
      const amount = pick(amountPick, invoice.total - invoice.credited);
      const settlementName = settlement === 'refund' ? 'CREDIT_NOTE_SETTLEMENT_REFUND' : 'CREDIT_NOTE_SETTLEMENT_CUSTOMER_CREDIT';
      const outcome = await refused(r.call('issueCreditNote', { buildId: invoice.build, invoiceId: invoice.invoiceId, amount: usd(amount), reason: 'discount', settlement: settlementName }));
      if (invoice.lifecycle !== 'issued') return expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
      const creditable = invoice.total - invoice.credited;
      if (amount > creditable) return expect(outcome).toBe(DomainErrorCode.InvalidArgument);
      expect(outcome).toBe('accepted');
      const reduced = Math.min(amount, due(invoice));
      const beyond = amount - reduced;
      invoice.credited += amount;
      invoice.paid -= beyond;
      if (settlement === 'refund') m.builds[invoice.build]!.totalPaid -= beyond;
      else m.builds[invoice.build]!.credit += beyond;
    },
    (m) => m.invoices.length > 0,
  );

const reverse = (ext: string) =>
  step(`reverse(${ext})`, async (m, r) => {
    const p = m.payments.get(ext);
    const before = (await r.log()).length;
    const outcome = await refused(r.call('reversePayment', { buildId: p?.build ?? BUILDS[0], paymentId: paymentIdOf(TENANT, ext), reason: 'mis-keyed' }));
    if (!p) return expect(outcome).toBe(DomainErrorCode.NotFound);
    const b = m.builds[p.build]!;
    const invoice = m.invoices.find((i) => i.invoiceId === p.invoiceId)!;
    const reversible = p.status === 'posted' && p.refunded === 0 && p.credit <= b.credit && (p.applied === 0 || invoice.lifecycle === 'issued') && p.applied <= invoice.paid;
    if (!reversible) {
      expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
      return expect((await r.log()).length).toBe(before);
    }
    expect(outcome).toBe('accepted');
    invoice.paid -= p.applied;
    b.credit -= p.credit;
    b.totalPaid -= p.amount;
    p.status = 'reversed';
  });

const applyCredit = (invoiceIndex: number, amountPick: AmountPick) =>
  step(
    `applyCredit(#${invoiceIndex}, ${showPick(amountPick)})`,
    async (m, r) => {
      const invoice = m.invoices[invoiceIndex % m.invoices.length]!;
      const b = m.builds[invoice.build]!;
      const amount = pick(amountPick, Math.min(b.credit, due(invoice)));
      const outcome = await refused(r.call('applyCustomerCredit', { buildId: invoice.build, invoiceId: invoice.invoiceId, amount: usd(amount) }));
      if (invoice.lifecycle !== 'issued') return expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
      if (amount > Math.min(b.credit, due(invoice))) return expect(outcome).toBe(DomainErrorCode.InvalidArgument);
      expect(outcome).toBe('accepted');
      b.credit -= amount;
      invoice.paid += amount;
    },
    (m) => m.invoices.length > 0,
  );

const writeOff = (invoiceIndex: number) =>
  step(
    `uncollectible(#${invoiceIndex})`,
    async (m, r) => {
      const invoice = m.invoices[invoiceIndex % m.invoices.length]!;
      const outcome = await refused(r.call('markInvoiceUncollectible', { buildId: invoice.build, invoiceId: invoice.invoiceId, reason: 'ghosted' }));
      if (invoice.lifecycle !== 'issued' || due(invoice) === 0) return expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
      expect(outcome).toBe('accepted');
      m.builds[invoice.build]!.expenses += due(invoice);
      invoice.writtenOff += due(invoice);
      invoice.lifecycle = 'uncollectible';
    },
    (m) => m.invoices.length > 0,
  );

const voidInvoice = (invoiceIndex: number) =>
  step(
    `void(#${invoiceIndex})`,
    async (m, r) => {
      const invoice = m.invoices[invoiceIndex % m.invoices.length]!;
      const outcome = await refused(r.call('voidInvoice', { buildId: invoice.build, invoiceId: invoice.invoiceId, reason: 'duplicate' }));
      if (invoice.lifecycle !== 'issued' || invoice.paid > 0) return expect(outcome).toBe(DomainErrorCode.FailedPrecondition);
      expect(outcome).toBe('accepted');
      invoice.lifecycle = 'void';
    },
    (m) => m.invoices.length > 0,
  );

const expense = (build: string, amount: number) =>
  step(`expense(${build}, ${amount})`, async (m, r) => {
    await r.call('recordExpense', { buildId: build, category: 'travel', description: 'train', amount: usd(amount), receiptUrl: '', effectiveDate: '' });
    m.builds[build]!.expenses += amount;
  });

/** Atomicity: one invalid line (or an amount finer than a cent) refuses the whole command and appends nothing. */
const invalid = (build: string, which: 'line' | 'precision') =>
  step(`invalid(${build}, ${which})`, async (_m, r) => {
    const before = (await r.log()).length;
    const bad = which === 'line' ? { currency: 'USD', amount: '-1.00' } : { currency: 'USD', amount: '1.001' };
    const outcome = await refused(
      r.call('draftInvoice', {
        buildId: build,
        lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'ok', unitPrice: usd(100), quantity: '1', taxable: true }, { kind: 'INVOICE_LINE_KIND_ITEM', description: 'bad', unitPrice: bad, quantity: '1', taxable: true }],
        taxRatePercent: '10',
        dueDate: '2026-04-30',
        schedulePartId: '',
        taxRateCode: '',
      }),
    );
    expect(outcome).toBe(DomainErrorCode.InvalidArgument);
    expect((await r.log()).length).toBe(before);
  });

/** At most once: the last successful request again, under its request id, appends nothing and answers the same. */
const repeatLast = () =>
  step(
    'repeatLast',
    async (_m, r) => {
      const last = r.last;
      if (!last) return;
      const before = (await r.log()).length;
      const reply = await (r.commands[last.method] as (c: CommandContext, q: unknown) => Promise<unknown>).call(r.commands, last.ctx, last.request);
      expect((await r.log()).length).toBe(before);
      const idOf = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'ledger' ? undefined : v));
      expect(idOf(reply)).toBe(idOf(last.reply));
    },
    () => true,
  );

/** Kafka: the next message of a partition (maybe twice), its offset committed or not. */
const deliver = (build: string, count: number, duplicate: boolean, commit: boolean) =>
  step(`deliver(${build}, ${count}, dup=${duplicate}, commit=${commit})`, async (_m, r) => {
    const partition = await r.partition(build);
    const rm = r.readModel;
    for (let n = 0; n < count; n++) {
      const at = rm.delivered.get(build) ?? 0;
      const event = partition[at];
      if (!event) break;
      rm.apply(event);
      if (duplicate) rm.apply(event);
      rm.delivered.set(build, at + 1);
      if (commit) rm.committed.set(build, at + 1);
    }
  });

/** The consumer crashes after the append and before committing: uncommitted messages come again. */
const crash = () =>
  step('crash', async (_m, r) => {
    for (const build of BUILDS) r.readModel.delivered.set(build, r.readModel.committed.get(build) ?? 0);
  });

/** A partition replayed from offset 0 (a new consumer group, a reset): every message again. */
const replay = (build: string) =>
  step(`replay(${build})`, async (_m, r) => {
    r.readModel.delivered.set(build, 0);
    r.readModel.committed.set(build, 0);
  });

const buildArb = fc.constantFrom(...BUILDS);
const extArb = fc.constantFrom(...EXTERNAL_IDS);
const cents = fc.integer({ min: 1, max: 150_00 });
const amountArb: fc.Arbitrary<AmountPick> = fc.record({ cents, boundary: fc.constantFrom<(-1 | 0 | 1 | null)[]>(null, null, -1, 0, 1) });
const commandsArb = fc.commands(
  [
    fc.tuple(buildArb, fc.array(fc.record({ unit: fc.integer({ min: 1, max: 500_00 }), qty: fc.integer({ min: 1, max: 3 }), taxable: fc.boolean() }), { minLength: 1, maxLength: 3 })).map(([b, lines]) => issueInvoice(b, lines)),
    fc.tuple(fc.nat(10), amountArb, extArb, fc.boolean(), fc.boolean()).map(([i, a, ext, bank, eq]) => pay(i, a, ext, ext.startsWith('wire') || bank ? 'bank_transfer' : 'card', eq)),
    fc.tuple(extArb, fc.constantFrom('post' as const, 'void' as const)).map(([ext, how]) => resolvePending(ext, how)),
    fc.tuple(extArb, amountArb).map(([ext, a]) => refund(ext, a)),
    fc.tuple(fc.nat(10), amountArb, fc.constantFrom('customer_credit' as const, 'refund' as const)).map(([i, a, s]) => creditNote(i, a, s)),
    fc.tuple(buildArb, cents).map(([b, a]) => expense(b, a)),
    extArb.map((ext) => reverse(ext)),
    fc.tuple(fc.nat(10), amountArb).map(([i, a]) => applyCredit(i, a)),
    fc.nat(10).map((i) => writeOff(i)),
    fc.nat(10).map((i) => voidInvoice(i)),
    fc.tuple(buildArb, fc.constantFrom('line' as const, 'precision' as const)).map(([b, w]) => invalid(b, w)),
    fc.constant(null).map(() => repeatLast()),
    fc.tuple(buildArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean()).map(([b, n, d, c]) => deliver(b, n, d, c)),
    fc.constant(null).map(() => crash()),
    buildArb.map((b) => replay(b)),
  ],
  { maxCommands: 60, size: 'max' },
);

const newModel = (): Model => ({ invoices: [], payments: new Map(), builds: Object.fromEntries(BUILDS.map((b) => [b, { credit: 0, totalPaid: 0, expenses: 0 }])), lastNumber: 0 });

/** Drains every partition and checks the projection equals the fold of the journal. */
async function checkReadModel(r: Real): Promise<void> {
  for (const build of BUILDS) {
    const partition = await r.partition(build);
    for (let at = r.readModel.delivered.get(build) ?? 0; at < partition.length; at++) r.readModel.apply(partition[at]!);
    const folded = partition.reduce<LedgerRow | undefined>((row, e) => evolveLedgerRow(row, e), undefined);
    expect(r.readModel.rows.get(build)).toEqual(folded);
    if (folded) expect(folded.figures).toEqual(ledgerFigures(await r.entries(build)));
  }
  const postings = (await r.entries()).reduce((s, e) => s + e.postings.length, 0);
  expect(r.readModel.lines.size).toBe(postings);
}

const logOf = async (r: Real) => JSON.stringify((await r.log()).map((e) => [e.streamName, e.streamPosition, e.eventId, e.type, e.data]));

const replaySeed = process.env.LEDGER_MODEL_SEED ? { seed: Number(process.env.LEDGER_MODEL_SEED), ...(process.env.LEDGER_MODEL_PATH ? { path: process.env.LEDGER_MODEL_PATH } : {}) } : {};

describe('ledger model (fast-check command model)', () => {
  it('keeps conservation, consistency, bounds, atomicity, at-most-once and determinism over random operations and deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(commandsArb, async (cmds) => {
        const setup = () => ({ model: newModel(), real: new Real() });
        const first = setup();
        await fc.asyncModelRun(() => first, cmds);
        await checkReadModel(first.real);
        // Determinism: the same operations give the same log (ids, positions, payloads).
        const second = setup();
        await fc.asyncModelRun(() => second, cmds);
        expect(await logOf(second.real)).toBe(await logOf(first.real));
      }),
      { numRuns: Number(process.env.LEDGER_MODEL_RUNS ?? 100), verbose: 1, ...replaySeed },
    );
  }, 120_000);

  it('issues gap-free, unique numbers when issues race (scheduled interleaving)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 6 }), async (s, n) => {
        const r = new Real();
        const drafted: string[] = [];
        for (let i = 0; i < n; i++) {
          const reply = await r.call<proto.DraftInvoiceResponse>('draftInvoice', {
            buildId: BUILDS[i % 2],
            lines: [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'x', unitPrice: usd(100), quantity: '1', taxable: false }],
            taxRatePercent: '',
            dueDate: '2026-04-30',
            schedulePartId: '',
            taxRateCode: '',
          });
          drafted.push(reply.invoiceId);
        }
        // The store's reads and appends go through the scheduler, so the issues interleave in any order.
        const store = r.store;
        const read = store.readStream.bind(store);
        const appendMany = store.appendToStreams.bind(store);
        store.readStream = s.scheduleFunction(read);
        store.appendToStreams = s.scheduleFunction(appendMany);
        const issues = drafted.map((invoiceId, i) => r.call<proto.IssueInvoiceResponse>('issueInvoice', { buildId: BUILDS[i % 2], invoiceId, issueDate: '' }));
        await s.waitFor(Promise.all(issues));
        const numbers = (await Promise.all(issues)).map((x) => x.invoiceNumber).sort();
        expect(numbers).toEqual(drafted.map((_, i) => `INV-${String(i + 1).padStart(6, '0')}`));
      }),
      { numRuns: 40, ...replaySeed },
    );
  }, 120_000);
});
