/**
 * Journal postings per second through the ledger's command path, against raw INSERTs of the same
 * posting rows into Postgres, in the same run. Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/ledger-journal.bench.ts
 * Env: MIGRATION_DATABASE_URL (default the local infra), BENCH_N payments per case (default 1000),
 * BENCH_CONCURRENCY (default 8), BENCH_PAYMENTS_PER_BUILD (default 20: how long a build's ledger
 * stream grows, since every command folds it). It creates and drops its own schema.
 *
 * Every operation is one card payment on an issued invoice: one balanced journal entry of two
 * postings (cash debit, receivables credit). Cases, sequential and with BENCH_CONCURRENCY workers:
 *   raw insert         baseline: the entry's two posting rows (the ledger_journal_lines columns) in one
 *                      multi-row INSERT into a plain table, autocommit: the cheapest way to store them
 *   decide (no I/O)    the ledger decider alone on an in-memory state of the same size: validation,
 *                      the entry built and checked balanced, the state evolved
 *   RecordPayment      LedgerCommands.recordPayment on CommandExecutor over PostgresEventStore: read and
 *                      fold the build's ledger stream and the payment-reference stream, decide both,
 *                      append both in one transaction (expected versions), fold the reply's view
 */
import { randomUUID } from 'node:crypto';
import { decideLedger, evolveLedger, initialLedgerState, type JournalEntry, type LedgerState, money, paymentFingerprint, paymentIdOf } from '@projectflo/build-ledger/domain';
import { type CommandMetadata, systemClock } from '@projectflo/platform/core';
import { createPgPool, DEFAULT_DATABASE_URL, PostgresEventStore } from '@projectflo/platform/event-store';
import type { CommandContext } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import type { BuildFactsSource } from '../apps/build-ledger/src/ledger/build-facts.reader';
import { LedgerCommands } from '../apps/build-ledger/src/ledger/ledger.commands';
import { printRatioTable } from './lib/ratio-table';
import { runCase, type BenchCase, type BenchResult } from './lib/timing';

const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_BUILD = Number(process.env.BENCH_PAYMENTS_PER_BUILD ?? 20);
const WARMUP = 50;
const BASELINE = 'raw insert';
const POSTINGS = 2;
const TENANT = randomUUID();

const builds: BuildFactsSource = {
  of: async (tenantId, buildId) => ({ buildId, currency: 'USD', approvedTotal: money(1_000_000_00, 'USD'), status: 'booked', bookedAt: '2026-03-01T00:00:00.000Z', eventDate: '2026-09-12', version: 1 }),
};
const context = (requestId = randomUUID()): CommandContext => ({ tenantId: TENANT, actorId: 'user-bench', actorKind: 'user', roles: ['manager'], requestId, requestFingerprint: requestId });
const usd = (amount: string) => ({ currency: 'USD', amount });

/** A build with one large issued invoice: what every payment of the build settles. */
async function openBuild(commands: LedgerCommands): Promise<{ buildId: string; invoiceId: string }> {
  const buildId = randomUUID();
  const lines = [{ kind: 'INVOICE_LINE_KIND_ITEM', description: 'Coverage', unitPrice: usd('1000000.00'), quantity: '1', taxable: false }];
  const { invoiceId } = await commands.draftInvoice(context(), { buildId, lines, taxRatePercent: '', dueDate: '2027-01-31', schedulePartId: '', taxRateCode: '' } as never);
  await commands.issueInvoice(context(), { buildId, invoiceId, issueDate: '' } as never);
  return { buildId, invoiceId };
}

async function main(): Promise<void> {
  const url = process.env.MIGRATION_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const schema = `bench_ledger_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const pool = createPgPool(url, { max: CONCURRENCY + 2, application_name: 'ledger-journal-bench' });
  const store = new PostgresEventStore({ pool, schema });
  const commands = new LedgerCommands(new CommandExecutor(store, systemClock), builds);
  try {
    await store.ensureSchema();
    await pool.query(`CREATE TABLE "${schema}".journal_lines (
      entry_id text NOT NULL, line_no integer NOT NULL, tenant_id text NOT NULL, build_id text NOT NULL, kind text NOT NULL,
      account text NOT NULL, side text NOT NULL, amount_minor bigint NOT NULL, currency text NOT NULL,
      effective_date text NOT NULL, recorded_at text NOT NULL, memo text NOT NULL, PRIMARY KEY (entry_id, line_no))`);
    const { rows } = await pool.query<{ version: string; sync: string }>(`SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync`);
    console.log(`ledger journal bench: N=${N} payments (${N * POSTINGS} postings) per case, concurrency ${CONCURRENCY}, ${PER_BUILD} payments per build, Postgres ${rows[0]?.version} (synchronous_commit=${rows[0]?.sync}), schema ${schema}`);

    const results: BenchResult[] = [];
    for (const concurrency of [1, CONCURRENCY]) {
      const group = concurrency === 1 ? 'sequential' : `concurrent x${concurrency}`;
      results.push(await runCase(rawInsertCase(pool, schema, group, concurrency)));
      results.push(await runCase(decideCase(group, concurrency)));
      results.push(await runCase(await recordPaymentCase(commands, group, concurrency)));
    }
    console.log('');
    printRatioTable(results, { baseline: BASELINE, unit: 'postings' });
    const ratio = (group: string) => {
      const base = results.find((r) => r.group === group && r.name === BASELINE)!;
      const ledger = results.find((r) => r.group === group && r.name === 'RecordPayment')!;
      return (ledger.itemsPerSecond / base.itemsPerSecond).toFixed(3);
    };
    console.log(`\njournal postings per second through RecordPayment vs raw INSERTs of the same rows: ${ratio('sequential')}x sequential, ${ratio(`concurrent x${CONCURRENCY}`)}x concurrent`);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error: unknown) => console.error('could not drop', schema, error));
    await store.close();
    await pool.end();
  }
}

/** The posting rows of one payment entry, as the ledger's read model stores them. */
function postingRows(entryId: string, buildId: string, amountMinor: number): unknown[] {
  const at = new Date().toISOString();
  const row = (lineNo: number, account: string, side: string) => [entryId, lineNo, TENANT, buildId, 'payment', account, side, amountMinor, 'USD', at.slice(0, 10), at, 'payment bench'];
  return [...row(1, 'cash', 'debit'), ...row(2, 'receivables', 'credit')];
}

function rawInsertCase(pool: ReturnType<typeof createPgPool>, schema: string, group: string, concurrency: number): BenchCase {
  const buildId = randomUUID();
  const placeholders = [0, 1].map((r) => `(${Array.from({ length: 12 }, (_, c) => `$${r * 12 + c + 1}`).join(', ')})`).join(', ');
  return {
    name: BASELINE,
    group,
    concurrency,
    operations: N,
    itemsPerOperation: POSTINGS,
    warmupOperations: WARMUP,
    operation: async () => {
      await pool.query(`INSERT INTO "${schema}".journal_lines VALUES ${placeholders}`, postingRows(`${buildId}:${randomUUID()}`, buildId, 12_34));
    },
  };
}

function decideCase(group: string, concurrency: number): BenchCase {
  const meta = (): CommandMetadata => ({ tenantId: TENANT, actorId: 'user-bench', actorKind: 'user', requestId: randomUUID(), now: new Date() });
  const buildId = 'bench-build';
  let state: LedgerState = initialLedgerState();
  const apply = (command: Parameters<typeof decideLedger>[0]) => {
    for (const e of decideLedger(command, state)) state = evolveLedger(state, e);
  };
  apply({ type: 'DraftInvoice', data: { buildId, invoiceId: 'inv', build: { buildId, currency: 'USD', approvedTotal: null, status: 'booked', bookedAt: null, eventDate: null, version: 1 }, lines: [{ kind: 'item', description: 'Coverage', unitPrice: money(1_000_000_00, 'USD'), quantity: '1', taxable: false }], taxRatePercent: null, dueDate: '2027-01-31' }, metadata: meta() });
  apply({ type: 'IssueInvoice', data: { buildId, invoiceId: 'inv', number: 1, issueDate: null }, metadata: meta() });
  const base = state;
  let n = 0;
  return {
    name: 'decide (no I/O)',
    group,
    concurrency,
    operations: N,
    itemsPerOperation: POSTINGS,
    warmupOperations: WARMUP,
    operation: async () => {
      // A state the size RecordPayment folds: the build's payments so far.
      if (n++ % PER_BUILD === 0) state = base;
      const ext = randomUUID();
      const amount = money(12_34, 'USD');
      const fingerprint = paymentFingerprint({ buildId, invoiceId: 'inv', amountMinor: amount.amountMinor, currency: 'USD', method: 'card', effectiveDate: null });
      const events = decideLedger({ type: 'RecordPayment', data: { buildId, paymentId: paymentIdOf(TENANT, ext), invoiceId: 'inv', externalTransactionId: ext, method: 'card', amount, effectiveDate: null, fingerprint }, metadata: meta() }, state);
      for (const e of events) state = evolveLedger(state, e);
      if (!events.some((e) => (e.data as { entry?: JournalEntry }).entry)) throw new Error('no entry');
    },
  };
}

async function recordPaymentCase(commands: LedgerCommands, group: string, concurrency: number): Promise<BenchCase> {
  // One open build per worker at a time, replaced after PER_BUILD payments (set up outside the timed calls would
  // need every build up front; opening one costs two commands per PER_BUILD payments and is counted).
  const current = new Map<number, { build: { buildId: string; invoiceId: string }; payments: number }>();
  return {
    name: 'RecordPayment',
    group,
    concurrency,
    operations: N,
    itemsPerOperation: POSTINGS,
    warmupOperations: WARMUP,
    operation: async (_index, worker) => {
      let slot = current.get(worker);
      if (!slot || slot.payments >= PER_BUILD) {
        slot = { build: await openBuild(commands), payments: 0 };
        current.set(worker, slot);
      }
      slot.payments++;
      await commands.recordPayment(context(), {
        buildId: slot.build.buildId,
        invoiceId: slot.build.invoiceId,
        externalTransactionId: randomUUID(),
        method: 'PAYMENT_METHOD_CARD',
        amount: usd('12.34'),
        effectiveDate: '',
      } as never);
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
