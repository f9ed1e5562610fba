import { rowProjection } from '@projectflo/platform/persistence';
import { CatalogItemSchema } from './catalog.entities';
import { CATALOG_EVENT_TYPES, catalogItemIdOf, evolveCatalogItemRow } from './catalog.view';

/** catalog_items: one row per item of a tenant's catalog (idempotent by the catalog stream's position). */
export const catalogProjection = rowProjection({
  name: 'build-ledger-catalog',
  handles: CATALOG_EVENT_TYPES,
  entity: CatalogItemSchema,
  table: 'catalog_items',
  key: (event) => ({ itemId: catalogItemIdOf(event) }),
  fold: evolveCatalogItemRow,
});
