import { z } from 'zod';
import { MoneyV1 } from './ledger-build.v1';
import { actor, id, instant, list, requiredText, text } from './payload-fields';

/*
 * Payload schemas of the events on `ledger.catalog.v1` (key: the tenant id; one catalog stream per
 * tenant): items defined, replaced and retired. Every payload carries the whole item, so a
 * consumer needs no earlier event. Rules for change as in crm-lead.v1.ts.
 */

export const LEDGER_CATALOG_TOPIC_V1 = 'ledger.catalog.v1';

const quantity = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'must be a decimal such as 1.5');
const kind = z.enum(['coverage_scene', 'deliverable', 'editing_style', 'operator_type', 'billable_item', 'service', 'package']);

export const CatalogItemDetailsV1 = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('coverage_scene') }),
  z.object({
    kind: z.literal('deliverable'),
    price: MoneyV1,
    defaultComponents: list(z.object({ sceneId: id, editingStyleId: id, targetMinutes: z.number().int().min(0).max(10_000), included: z.boolean() }), 50),
  }),
  z.object({ kind: z.literal('editing_style'), ratePerMinute: MoneyV1.nullable(), requirements: list(z.object({ billableItemId: id, quantity }), 50) }),
  z.object({ kind: z.literal('operator_type'), pricing: z.enum(['hourly', 'fixed']), rate: MoneyV1 }),
  z.object({ kind: z.literal('billable_item'), pricing: z.enum(['fixed', 'per_unit']), price: MoneyV1, category: text(100).nullable(), active: z.boolean() }),
  z.object({ kind: z.literal('service'), price: MoneyV1, durationMinutes: z.number().int().min(1).max(100_000).nullable(), active: z.boolean() }),
  z.object({ kind: z.literal('package'), price: MoneyV1, contents: list(z.object({ itemId: id, quantity }), 50) }),
]);

const item = { tenantId: id, itemId: id, name: requiredText(200), description: text(2_000).nullable(), details: CatalogItemDetailsV1 };

export const CatalogItemDefinedV1 = z.object({ ...item, definedBy: actor, definedAt: instant });
export const CatalogItemUpdatedV1 = z.object({ ...item, updatedBy: actor, updatedAt: instant });
export const CatalogItemRetiredV1 = z.object({ tenantId: id, itemId: id, kind, retiredBy: actor, retiredAt: instant });

export const ledgerCatalogEventContractsV1 = {
  CatalogItemDefined: { schemaVersion: 1, schema: CatalogItemDefinedV1 },
  CatalogItemUpdated: { schemaVersion: 1, schema: CatalogItemUpdatedV1 },
  CatalogItemRetired: { schemaVersion: 1, schema: CatalogItemRetiredV1 },
} as const;
