import type { StreamEvent, ViewFold } from '@projectflo/platform/core';
import type { CatalogEvent } from '@projectflo/build-ledger/domain';
import type { CatalogItemRow } from './catalog.entities';

/** Every event type of a catalog stream. */
export const CATALOG_EVENT_TYPES: readonly CatalogEvent['type'][] = ['CatalogItemDefined', 'CatalogItemUpdated', 'CatalogItemRetired'];

const eventOf = (recorded: StreamEvent) => ({ type: recorded.type, data: recorded.data }) as CatalogEvent;

/** The item an event is about. */
export const catalogItemIdOf = (recorded: StreamEvent): string => eventOf(recorded).data.itemId;

/** One catalog item's row, folded from the catalog stream (events of other items leave it as it is). */
export const evolveCatalogItemRow: ViewFold<CatalogItemRow> = (row, recorded) => {
  const event = eventOf(recorded);
  const version = recorded.streamPosition;
  switch (event.type) {
    case 'CatalogItemDefined':
    case 'CatalogItemUpdated': {
      const d = event.data;
      if (row && row.itemId !== d.itemId) return row;
      const updatedAt = new Date(event.type === 'CatalogItemDefined' ? event.data.definedAt : event.data.updatedAt);
      return { itemId: d.itemId, tenantId: d.tenantId, kind: d.details.kind, name: d.name, description: d.description, retired: false, details: d.details, updatedAt, version };
    }
    case 'CatalogItemRetired':
      if (row?.itemId !== event.data.itemId) return row;
      return { ...row, retired: true, updatedAt: new Date(event.data.retiredAt), version };
    default:
      return row;
  }
};

/** The reply of a command about one item: its row folded from the catalog stream. */
export function catalogItemReply(itemId: string): ViewFold<CatalogItemRow> {
  return (row, recorded) => (catalogItemIdOf(recorded) === itemId ? evolveCatalogItemRow(row, recorded) : row);
}
