import { deciderSpecification, DomainErrorCode } from '@projectflo/platform/core';
import { ACTOR, catalogEvents, IDS, meta, TENANT } from '../build/build.fixtures';
import type { CatalogCommand } from './catalog.commands';
import { catalogDecider } from './catalog.decider';

const spec = deciderSpecification(catalogDecider);
const AT = '2026-06-14T10:00:00.000Z';
const NEW = '10000000-0000-4000-8000-0000000000aa';
const cmd = <T extends CatalogCommand['type']>(type: T, data: Extract<CatalogCommand, { type: T }>['data']) => ({ type, data, metadata: meta() }) as Extract<CatalogCommand, { type: T }>;
const studio = catalogEvents();

describe('catalog', () => {
  it('defines an item with its money in minor units', () => {
    spec
      .given([])
      .when(cmd('UpsertCatalogItem', { itemId: NEW, name: ' Album ', description: ' ', details: { kind: 'billable_item', pricing: 'per_unit', price: { amount: '89.9', currency: 'USD' }, category: 'goods', active: true } }))
      .then([
        {
          type: 'CatalogItemDefined',
          data: {
            tenantId: TENANT,
            itemId: NEW,
            name: 'Album',
            description: null,
            details: { kind: 'billable_item', pricing: 'per_unit', price: { amountMinor: 8_990, currency: 'USD' }, category: 'goods', active: true },
            definedBy: ACTOR,
            definedAt: AT,
          },
        },
      ]);
  });

  it('refuses money with more precision than the currency allows, and negative money', () => {
    spec
      .given([])
      .when(cmd('UpsertCatalogItem', { itemId: NEW, name: 'Album', details: { kind: 'operator_type', pricing: 'hourly', rate: { amount: '95.001', currency: 'USD' } } }))
      .thenThrows(DomainErrorCode.InvalidArgument, ['details.rate']);
    spec
      .given([])
      .when(cmd('UpsertCatalogItem', { itemId: NEW, name: 'Album', details: { kind: 'service', price: { amount: '-1.00', currency: 'USD' }, active: true } }))
      .thenThrows(DomainErrorCode.InvalidArgument, ['details.price']);
    spec
      .given([])
      .when(cmd('UpsertCatalogItem', { itemId: NEW, name: 'Album', details: { kind: 'service', price: { amount: '1.5', currency: 'JPY' }, active: true } }))
      .thenThrows(DomainErrorCode.InvalidArgument, ['details.price']);
  });

  it('keeps names unique per kind (case- and space-insensitive), and frees a retired item’s name', () => {
    const state = studio.reduce(catalogDecider.evolve, catalogDecider.initialState());
    spec.given(studio).when(cmd('UpsertCatalogItem', { itemId: NEW, name: ' ceremony', details: { kind: 'coverage_scene' } })).thenThrows(DomainErrorCode.InvalidArgument, ['name']);
    const deliverable = cmd('UpsertCatalogItem', { itemId: NEW, name: 'Ceremony', details: { kind: 'deliverable', price: { amount: '1', currency: 'USD' }, defaultComponents: [] } });
    expect(catalogDecider.decide(deliverable, state).map((e) => e.type)).toEqual(['CatalogItemDefined']);
    const booth = cmd('UpsertCatalogItem', { itemId: NEW, name: 'photo booth', details: { kind: 'billable_item', pricing: 'fixed', price: { amount: '1', currency: 'USD' }, active: true } });
    expect(catalogDecider.decide(booth, state).map((e) => e.type)).toEqual(['CatalogItemDefined']);
  });

  it('checks what an item names: live items of the right kind of this catalog', () => {
    spec
      .given(studio)
      .when(
        cmd('UpsertCatalogItem', {
          itemId: NEW,
          name: 'Teaser',
          details: { kind: 'deliverable', price: { amount: '100', currency: 'USD' }, defaultComponents: [{ sceneId: IDS.cinematic, editingStyleId: IDS.documentary, targetMinutes: -1, included: true }] },
        }),
      )
      .thenThrows(DomainErrorCode.InvalidArgument, ['details.defaultComponents[0].sceneId', 'details.defaultComponents[0].targetMinutes']);
    spec
      .given(studio)
      .when(cmd('UpsertCatalogItem', { itemId: NEW, name: 'Bundle', details: { kind: 'package', price: { amount: '100', currency: 'USD' }, contents: [{ itemId: IDS.retiredItem, quantity: '1' }] } }))
      .thenThrows(DomainErrorCode.InvalidArgument, ['details.contents[0].itemId']);
  });

  it('updates an item of the same kind, ignores an identical upsert, refuses another kind', () => {
    const rename = cmd('UpsertCatalogItem', { itemId: IDS.ceremony, name: 'Church ceremony', details: { kind: 'coverage_scene' } });
    spec.given(studio).when(rename).then([{ type: 'CatalogItemUpdated', data: { tenantId: TENANT, itemId: IDS.ceremony, name: 'Church ceremony', description: null, details: { kind: 'coverage_scene' }, updatedBy: ACTOR, updatedAt: AT } }]);
    spec.given(studio).when(cmd('UpsertCatalogItem', { itemId: IDS.ceremony, name: 'Ceremony', details: { kind: 'coverage_scene' } })).then([]);
    spec.given(studio).when(cmd('UpsertCatalogItem', { itemId: IDS.ceremony, name: 'Ceremony', details: { kind: 'editing_style', requirements: [] } })).thenThrows(DomainErrorCode.FailedPrecondition);
  });

  it('retires an item nothing live uses; refuses one a live item uses; unknown is NOT_FOUND', () => {
    spec.given(studio).when(cmd('RetireCatalogItem', { itemId: IDS.usb, kind: 'billable_item' })).then([
      { type: 'CatalogItemRetired', data: { tenantId: TENANT, itemId: IDS.usb, kind: 'billable_item', retiredBy: ACTOR, retiredAt: AT } },
    ]);
    const error = spec.given(studio).when(cmd('RetireCatalogItem', { itemId: IDS.cinematic, kind: 'editing_style' })).thenThrows(DomainErrorCode.FailedPrecondition);
    expect(error.details).toEqual({ itemId: IDS.cinematic, usedBy: [IDS.highlightFilm] });
    spec.given(studio).when(cmd('RetireCatalogItem', { itemId: IDS.usb, kind: 'coverage_scene' })).thenThrows(DomainErrorCode.NotFound);
    spec.given(studio).when(cmd('RetireCatalogItem', { itemId: IDS.retiredItem, kind: 'billable_item' })).then([]);
  });

  it('refuses ids that name Object.prototype members (never looked up as items)', () => {
    for (const itemId of ['valueOf', 'constructor', '__proto__', 'toString']) {
      spec.given(studio).when(cmd('RetireCatalogItem', { itemId, kind: 'billable_item' })).thenThrows(DomainErrorCode.InvalidArgument);
    }
  });
});
