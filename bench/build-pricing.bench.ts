/**
 * What pricing a build costs through the build decider, against the same money-library arithmetic
 * in a tight loop. Pure CPU, no infrastructure. Run:
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r reflect-metadata -r @swc-node/register bench/build-pricing.bench.ts
 * Env: BENCH_N operations per case (default 2000), BENCH_LINES priced lines of the build (default 200).
 *
 * The build: 40 coverage lines (hourly, 8.5 h), 20 deliverables each with 2 components (a per-minute
 * style) — 60 lines —, and 100 billable items (per unit, quantity 3): 200 priced lines.
 *
 * Cases (group "200-line build", throughput in operations):
 *   dinero.js loop       baseline: the same 200 line amounts (dinero multiply by a scaled quantity,
 *                        transformScale half away from zero) summed with dinero add, nothing else —
 *                        the money library's own cost (a raw-integer loop would be ~100x faster
 *                        than any money library, so it is not the baseline)
 *   priceBuild           the pricing function: lines with descriptions and explanations, subtotal, total
 *   ConfigureBuild       the decider: one quantity change on the 200-line build (validate, look the line
 *                        up, apply, reprice the whole build, the event)
 *   ProposeChangeOrder   the decider: a change order with a 12.5 % discount (reprices before and after)
 *   ApproveChangeOrder   the decider: approval, the configuration applied and the whole build snapshotted
 */
import {
  type BuildCommand,
  buildDecider,
  type BuildEvent,
  type BuildState,
  CATALOG_LIMITS,
  catalogDecider,
  type CatalogState,
  priceBuild,
  type UpsertCatalogItem,
} from '@projectflo/build-ledger/domain';
import { type CommandMetadata, foldState } from '@projectflo/platform/core';
import { add, dinero, halfAwayFromZero, multiply, toSnapshot, transformScale, USD, type Dinero } from 'dinero.js';
import { printRatioTable } from './lib/ratio-table';
import { runCase, type BenchResult } from './lib/timing';

const N = Number(process.env.BENCH_N ?? 2000);
const LINES = Number(process.env.BENCH_LINES ?? 200);
const BASELINE = 'dinero.js loop';
const TENANT = 'bench-tenant';
const BUILD = '20000000-0000-4000-8000-00000000be01';
const meta = (n = 0): CommandMetadata => ({ tenantId: TENANT, actorId: 'bench', actorKind: 'user', requestId: `r-${n}`, now: new Date('2026-06-14T10:00:00Z') });
const id = (kind: number, n: number) => `10000000-0000-4000-8000-${String(kind).padStart(4, '0')}${String(n).padStart(8, '0')}`;
const usd = (amount: string) => ({ amount, currency: 'USD' });

function catalog(): CatalogState {
  const upserts: UpsertCatalogItem['data'][] = [
    { itemId: id(1, 1), name: 'Ceremony', details: { kind: 'coverage_scene' } },
    { itemId: id(2, 1), name: 'Videographer', details: { kind: 'operator_type', pricing: 'hourly', rate: usd('95.00') } },
    { itemId: id(3, 1), name: 'Cinematic', details: { kind: 'editing_style', ratePerMinute: usd('12.35'), requirements: [] } },
    {
      itemId: id(4, 1),
      name: 'Film',
      details: {
        kind: 'deliverable',
        price: usd('1200.00'),
        defaultComponents: [
          { sceneId: id(1, 1), editingStyleId: id(3, 1), targetMinutes: 4, included: true },
          { sceneId: id(1, 1), editingStyleId: id(3, 1), targetMinutes: 7, included: true },
        ],
      },
    },
  ];
  for (let i = 0; i < Math.min(100, CATALOG_LIMITS.items - 10); i++) {
    upserts.push({ itemId: id(5, i), name: `Item ${i}`, details: { kind: 'billable_item', pricing: 'per_unit', price: usd(`${(i % 90) + 1}.${String((i * 37) % 100).padStart(2, '0')}`), active: true } });
  }
  let state = catalogDecider.initialState();
  for (const [n, data] of upserts.entries()) {
    for (const e of catalogDecider.decide({ type: 'UpsertCatalogItem', data, metadata: meta(n) }, state)) state = catalogDecider.evolve(state, e);
  }
  return state;
}

function run(events: BuildEvent[], command: BuildCommand): BuildEvent[] {
  const state = foldState(buildDecider, events);
  return [...events, ...buildDecider.decide(command, state)];
}

async function main(): Promise<void> {
  const cat = catalog();
  const coverage = Math.round(LINES * 0.2);
  const deliverables = Math.round(LINES * 0.1);
  const items = LINES - coverage - deliverables * 3;
  let events: BuildEvent[] = buildDecider.decide({ type: 'CreateBuild', data: { buildId: BUILD, name: 'Bench wedding', currency: 'USD' }, metadata: meta() }, buildDecider.initialState());
  const changes: Extract<BuildCommand, { type: 'ConfigureBuild' }>['data']['changes'][number][] = [
    ...Array.from({ length: coverage }, () => ({ op: 'add_coverage' as const, sceneId: id(1, 1), operatorTypeId: id(2, 1), quantity: 2, hours: '8.5' })),
    ...Array.from({ length: deliverables }, () => ({ op: 'add_deliverable' as const, deliverableId: id(4, 1) })),
    ...Array.from({ length: items }, (_, i) => ({ op: 'add_billable_item' as const, billableItemId: id(5, i % 100), quantity: '3' })),
  ];
  for (let i = 0; i < changes.length; i += 100) {
    events = run(events, { type: 'ConfigureBuild', data: { buildId: BUILD, changes: changes.slice(i, i + 100), catalog: cat }, metadata: meta() });
  }
  const configured: BuildState = foldState(buildDecider, events);
  const priced = priceBuild(configured.configuration, 'USD');
  if (priced.lines.length !== LINES) throw new Error(`the build has ${priced.lines.length} priced lines, not ${LINES}`);
  const approvedEvents = run(events, { type: 'ApproveBuild', data: { buildId: BUILD }, metadata: meta() });
  const approved = foldState(buildDecider, approvedEvents);
  const itemLine = approved.configuration.items[0]!.lineId;
  const changeOrderId = (n: number) => `30000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const propose = (n: number): BuildCommand => ({
    type: 'ProposeChangeOrder',
    data: {
      buildId: BUILD,
      changeOrderId: changeOrderId(n),
      baseVersion: 1,
      description: 'One more keepsake, loyalty discount',
      changes: [{ op: 'update_billable_item', lineId: itemLine, quantity: '4' }],
      discount: { kind: 'percent', percent: '12.5', reason: 'loyal client' },
      catalog: cat,
    },
    metadata: meta(n),
  });
  const proposedEvents = [...approvedEvents, ...buildDecider.decide(propose(1), approved)];
  const proposed = foldState(buildDecider, proposedEvents);

  // The baseline's inputs: the same 200 (unit price, quantity) pairs in dinero.js' own terms.
  const scaled = (q: string) => {
    const [w, f = ''] = q.split('.');
    return { amount: Number(w + f), scale: f.length };
  };
  const pairs = priced.lines.map((l) => ({ price: dinero({ amount: l.unitPrice.amountMinor, currency: USD }), quantity: scaled(l.quantity) }));
  let sink = 0;
  const dineroLoop = () => {
    let total: Dinero<number> = dinero({ amount: 0, currency: USD });
    for (const p of pairs) total = add(total, transformScale(multiply(p.price, p.quantity), 2, halfAwayFromZero));
    sink += toSnapshot(total).amount;
  };
  const baselineTotal = (() => {
    const before = sink;
    dineroLoop();
    return sink - before;
  })();
  if (baselineTotal !== priced.subtotal.amountMinor) throw new Error(`baseline ${baselineTotal} ≠ priceBuild ${priced.subtotal.amountMinor}`);

  const group = `${LINES}-line build`;
  const cases: { name: string; op: (i: number) => void }[] = [
    { name: BASELINE, op: dineroLoop },
    { name: 'priceBuild', op: () => void (sink += priceBuild(approved.configuration, 'USD', approved.discounts).total.amountMinor) },
    {
      name: 'ConfigureBuild',
      op: (i) => void (sink += buildDecider.decide({ type: 'ConfigureBuild', data: { buildId: BUILD, changes: [{ op: 'update_billable_item', lineId: itemLine, quantity: String((i % 9) + 1) }], catalog: cat }, metadata: meta(i) }, configured).length),
    },
    { name: 'ProposeChangeOrder', op: (i) => void (sink += buildDecider.decide(propose(i + 10), approved).length) },
    {
      name: 'ApproveChangeOrder',
      op: (i) => {
        const [event] = buildDecider.decide({ type: 'ApproveChangeOrder', data: { buildId: BUILD, changeOrderId: changeOrderId(1) }, metadata: meta(i) }, proposed);
        sink += buildDecider.evolve(proposed, event!).version;
      },
    },
  ];
  const results: BenchResult[] = [];
  for (const c of cases) {
    results.push(await runCase({ name: c.name, group, operations: N, warmupOperations: Math.min(200, N), operation: async (i) => c.op(i) }));
  }
  console.log(`build pricing bench: N=${N} operations per case, ${LINES} priced lines (${coverage} coverage, ${deliverables} deliverables + ${deliverables * 2} components, ${items} billable items), Node ${process.version}`);
  printRatioTable(results, { baseline: BASELINE, unit: 'ops' });
  const base = results.find((r) => r.name === BASELINE)!;
  for (const r of results.filter((x) => x.name !== BASELINE)) {
    console.log(`${r.name}: ${(1000 / r.itemsPerSecond).toFixed(3)} ms per operation, ${(base.itemsPerSecond / r.itemsPerSecond).toFixed(2)}x the dinero.js loop's time (${(1000 / base.itemsPerSecond).toFixed(3)} ms)`);
  }
  if (sink === -1) console.log(sink);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
