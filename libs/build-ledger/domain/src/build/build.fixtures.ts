import type { CommandMetadata } from '@projectflo/platform/core';
import { foldState } from '@projectflo/platform/core';
import type { UpsertCatalogItem } from '../catalog/catalog.commands';
import { catalogDecider, type CatalogState } from '../catalog/catalog.decider';
import type { CatalogEvent } from '../catalog/catalog.events';

/** Shared by the specs and the bench: one tenant, one actor, one instant, and a small studio catalog. */
export const TENANT = 'tenant-a';
export const ACTOR = 'user-owner';
export const NOW = new Date('2026-06-14T10:00:00.000Z');

export function meta(overrides: Partial<CommandMetadata> = {}): CommandMetadata {
  return { tenantId: TENANT, actorId: ACTOR, actorKind: 'user', requestId: 'request-1', now: NOW, ...overrides };
}

export const IDS = {
  ceremony: '10000000-0000-4000-8000-000000000001',
  reception: '10000000-0000-4000-8000-000000000002',
  cinematic: '10000000-0000-4000-8000-000000000003',
  documentary: '10000000-0000-4000-8000-000000000004',
  videographer: '10000000-0000-4000-8000-000000000005',
  drone: '10000000-0000-4000-8000-000000000006',
  colorGrade: '10000000-0000-4000-8000-000000000007',
  usb: '10000000-0000-4000-8000-000000000008',
  highlightFilm: '10000000-0000-4000-8000-000000000009',
  retiredItem: '10000000-0000-4000-8000-00000000000a',
  inactiveItem: '10000000-0000-4000-8000-00000000000b',
} as const;

const usd = (amount: string) => ({ amount, currency: 'USD' });

/** The catalog's upserts: scenes, styles (cinematic has a per-minute rate and needs colour grading), operators, items, a deliverable. */
export const CATALOG_UPSERTS: readonly UpsertCatalogItem['data'][] = [
  { itemId: IDS.ceremony, name: 'Ceremony', details: { kind: 'coverage_scene' } },
  { itemId: IDS.reception, name: 'Reception', details: { kind: 'coverage_scene' } },
  { itemId: IDS.colorGrade, name: 'Colour grading', details: { kind: 'billable_item', pricing: 'fixed', price: usd('250.00'), category: 'post', active: true } },
  { itemId: IDS.usb, name: 'USB keepsake', details: { kind: 'billable_item', pricing: 'per_unit', price: usd('19.99'), category: 'goods', active: true } },
  { itemId: IDS.inactiveItem, name: 'Old DVD', details: { kind: 'billable_item', pricing: 'per_unit', price: usd('9.00'), active: false } },
  { itemId: IDS.retiredItem, name: 'Photo booth', details: { kind: 'billable_item', pricing: 'fixed', price: usd('400.00'), active: true } },
  { itemId: IDS.cinematic, name: 'Cinematic', details: { kind: 'editing_style', ratePerMinute: usd('12.50'), requirements: [{ billableItemId: IDS.colorGrade, quantity: '1' }] } },
  { itemId: IDS.documentary, name: 'Documentary', details: { kind: 'editing_style', requirements: [] } },
  { itemId: IDS.videographer, name: 'Videographer', details: { kind: 'operator_type', pricing: 'hourly', rate: usd('95.00') } },
  { itemId: IDS.drone, name: 'Drone pilot', details: { kind: 'operator_type', pricing: 'fixed', rate: usd('350.00') } },
  {
    itemId: IDS.highlightFilm,
    name: 'Highlight film',
    details: {
      kind: 'deliverable',
      price: usd('1200.00'),
      defaultComponents: [
        { sceneId: IDS.ceremony, editingStyleId: IDS.cinematic, targetMinutes: 4, included: true },
        { sceneId: IDS.reception, editingStyleId: IDS.documentary, targetMinutes: 3, included: false },
      ],
    },
  },
];

/** The catalog's events, the photo booth retired last. */
export function catalogEvents(tenantId = TENANT): CatalogEvent[] {
  const events: CatalogEvent[] = [];
  let state = catalogDecider.initialState();
  const run = (command: Parameters<typeof catalogDecider.decide>[0]) => {
    for (const e of catalogDecider.decide(command, state)) {
      events.push(e);
      state = catalogDecider.evolve(state, e);
    }
  };
  for (const data of CATALOG_UPSERTS) run({ type: 'UpsertCatalogItem', data, metadata: meta({ tenantId }) });
  run({ type: 'RetireCatalogItem', data: { itemId: IDS.retiredItem, kind: 'billable_item' }, metadata: meta({ tenantId }) });
  return events;
}

/** The studio catalog as a state. */
export function studioCatalog(tenantId = TENANT): CatalogState {
  return foldState(catalogDecider, catalogEvents(tenantId));
}
