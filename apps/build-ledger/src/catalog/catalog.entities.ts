import { EntitySchema } from '@mikro-orm/postgresql';
import type { CatalogItemDetails, CatalogKind } from '@projectflo/build-ledger/domain';

/** One item of a tenant's catalog, retired ones included (version: the catalog stream's position of its last event). */
export interface CatalogItemRow {
  itemId: string;
  tenantId: string;
  kind: CatalogKind;
  name: string;
  description: string | null;
  retired: boolean;
  details: CatalogItemDetails;
  updatedAt: Date;
  version: number;
}

export const CatalogItemSchema = new EntitySchema<CatalogItemRow>({
  name: 'CatalogItemRow',
  tableName: 'catalog_items',
  properties: {
    itemId: { type: 'string', primary: true, fieldName: 'item_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    kind: { type: 'string' },
    name: { type: 'text' },
    description: { type: 'text', nullable: true },
    retired: { type: 'boolean' },
    details: { type: 'json' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
    version: { type: 'integer' },
  },
});
