import { contractChecks, ledgerBuildEventsV1, ledgerCatalogEventsV1, LEDGER_TOPIC_CONTRACTS_V1 } from '@projectflo/contracts';
import { foldState } from '@projectflo/platform/core';
import { catalogDecider } from '../catalog/catalog.decider';
import type { BuildCommand } from './build.commands';
import { buildDecider } from './build.decider';
import type { BuildEvent } from './build.events';
import { catalogEvents, IDS, meta, studioCatalog } from './build.fixtures';
import { BUILD_TOPICS } from './build.streams';

const BUILD = '20000000-0000-4000-8000-0000000000c1';
const contracts = { build: ledgerBuildEventsV1.ledgerBuildEventContractsV1, catalog: ledgerCatalogEventsV1.ledgerCatalogEventContractsV1 };
const ledgerEventContractsV1 = { ...contracts.build, ...contracts.catalog };
const catalog = studioCatalog();

/** A build's whole life: every event type the decider emits, as it emits them. */
function lifeOfABuild(): BuildEvent[] {
  const events: BuildEvent[] = [];
  const run = (type: BuildCommand['type'], data: object) => {
    const state = foldState(buildDecider, events);
    events.push(...buildDecider.decide({ type, data: { buildId: BUILD, ...data }, metadata: meta() } as BuildCommand, state));
  };
  run('CreateBuild', { leadId: 'lead-1', name: 'Wedding', currency: 'USD', eventDate: '2026-09-12' });
  run('UpdateBuildDetails', { name: 'Wedding at the lake', eventDate: '2026-09-13', quoteExpiresOn: '2026-07-01' });
  run('LinkBuild', { clientId: 'contact-1' });
  run('ConfigureBuild', {
    catalog,
    changes: [
      { op: 'add_coverage', sceneId: IDS.ceremony, operatorTypeId: IDS.videographer, quantity: 2, hours: '8.5' },
      { op: 'add_coverage', sceneId: IDS.reception, operatorTypeId: IDS.drone, quantity: 1 },
      { op: 'add_deliverable', deliverableId: IDS.highlightFilm },
      { op: 'add_billable_item', billableItemId: IDS.usb, quantity: '2', notes: 'parents' },
    ],
  });
  const lines = foldState(buildDecider, events).configuration;
  run('ConfigureBuild', {
    catalog,
    changes: [
      { op: 'update_component', lineId: lines.components[1]!.lineId, targetMinutes: 5, included: true },
      { op: 'update_billable_item', lineId: lines.items[1]!.lineId, quantity: '3', notes: null },
      { op: 'add_component', deliverableLineId: lines.deliverables[0]!.lineId, sceneId: IDS.reception, editingStyleId: IDS.documentary, targetMinutes: 2, included: true },
    ],
  });
  run('ChangeBuildStatus', { toStatus: 'proposal_sent' });
  run('ApproveBuild', {});
  run('BookBuild', {});
  const after = foldState(buildDecider, events).configuration;
  run('ProposeChangeOrder', {
    changeOrderId: '30000000-0000-4000-8000-0000000000c1',
    baseVersion: 1,
    description: 'No drone',
    catalog,
    changes: [{ op: 'remove_coverage', lineId: after.coverage[1]!.lineId }, { op: 'remove_component', lineId: after.components[2]!.lineId }],
    discount: { kind: 'fixed', amount: { amount: '100.00', currency: 'USD' }, reason: 'rain plan' },
  });
  run('ProposeChangeOrder', {
    changeOrderId: '30000000-0000-4000-8000-0000000000c2',
    baseVersion: 1,
    description: 'Fewer USB sticks',
    catalog,
    changes: [{ op: 'remove_billable_item', lineId: after.items[1]!.lineId }, { op: 'remove_deliverable', lineId: after.deliverables[0]!.lineId }],
  });
  run('ApproveChangeOrder', { changeOrderId: '30000000-0000-4000-8000-0000000000c1' });
  run('RejectChangeOrder', { changeOrderId: '30000000-0000-4000-8000-0000000000c2', reason: 'stale' });
  run('ChangeBuildStatus', { toStatus: 'completed' });
  return events;
}

describe('build-ledger’s published contracts (ledger.build.v1, ledger.catalog.v1)', () => {
  it('publish builds and catalogs on their topics', () => {
    expect(LEDGER_TOPIC_CONTRACTS_V1).toMatchObject({ [BUILD_TOPICS.build]: contracts.build, [BUILD_TOPICS.catalog]: contracts.catalog });
  });

  it('cover every event type the build and catalog deciders emit, at the deciders’ schema versions', () => {
    const versions = { ...buildDecider.schemaVersions, ...catalogDecider.schemaVersions } as Record<string, number>;
    expect(Object.keys(ledgerEventContractsV1).sort()).toEqual(Object.keys(versions).sort());
    for (const [type, version] of Object.entries(versions)) expect([type, contractChecks(ledgerEventContractsV1, type).schemaVersions]).toEqual([type, [version]]);
  });

  it('accept every event of a build’s life and of a catalog as the deciders emit them', () => {
    const renamed = catalogDecider.decide({ type: 'UpsertCatalogItem', data: { itemId: IDS.usb, name: 'USB stick', details: { kind: 'billable_item', pricing: 'per_unit', price: { amount: '21.00', currency: 'USD' }, active: true } }, metadata: meta() }, catalog);
    const events = [...lifeOfABuild(), ...catalogEvents(), ...renamed];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(ledgerEventContractsV1)));
    for (const event of events) {
      const parsed = contractChecks(ledgerEventContractsV1, event.type).contract.safeParse(event.data);
      expect([event.type, parsed.success ? 'ok' : parsed.error.issues]).toEqual([event.type, 'ok']);
    }
  });
});
