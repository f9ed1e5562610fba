import { ledgerCatalogV1 } from '@projectflo/contracts';
import { CATALOG_LIMITS, type CatalogItemInput, type CatalogKind, formatMoney, type Money, type MoneyInput } from '@projectflo/build-ledger/domain';
import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { enumMapping, list, text, toTimestamp } from '@projectflo/platform/grpc';
import { z } from 'zod';
import type { CatalogItemRow } from './catalog.entities';

/** Translations between the gRPC contract (catalog.proto) and the catalog domain. */

export const catalogKind = enumMapping<ledgerCatalogV1.CatalogItemKind, CatalogKind>(ledgerCatalogV1.CatalogItemKind, {
  CATALOG_ITEM_KIND_COVERAGE_SCENE: 'coverage_scene',
  CATALOG_ITEM_KIND_DELIVERABLE: 'deliverable',
  CATALOG_ITEM_KIND_EDITING_STYLE: 'editing_style',
  CATALOG_ITEM_KIND_OPERATOR_TYPE: 'operator_type',
  CATALOG_ITEM_KIND_BILLABLE_ITEM: 'billable_item',
  CATALOG_ITEM_KIND_SERVICE: 'service',
  CATALOG_ITEM_KIND_PACKAGE: 'package',
});

export const operatorPricing = enumMapping<ledgerCatalogV1.OperatorPricing, 'hourly' | 'fixed'>(ledgerCatalogV1.OperatorPricing, {
  OPERATOR_PRICING_HOURLY: 'hourly',
  OPERATOR_PRICING_FIXED: 'fixed',
});

export const billableItemPricing = enumMapping<ledgerCatalogV1.BillableItemPricing, 'fixed' | 'per_unit'>(ledgerCatalogV1.BillableItemPricing, {
  BILLABLE_ITEM_PRICING_FIXED: 'fixed',
  BILLABLE_ITEM_PRICING_PER_UNIT: 'per_unit',
});

/** common.v1.Money as a request gives it (bounded; the decider checks the amount against the currency). */
export const moneyInput = z.object({ currency: text(3), amount: text(40) }).nullish();
export const requiredMoney = moneyInput.refine((m) => m != null, 'is required');
export const id = text(CATALOG_LIMITS.id);
export const quantity = text(20);

/** Proto names of the kind-specific detail messages, as the oneof names them. */
export const DETAIL_FIELDS = ['coverageScene', 'deliverable', 'editingStyle', 'operatorType', 'billableItem', 'service', 'package'] as const;
const KIND_OF_FIELD: Record<(typeof DETAIL_FIELDS)[number], CatalogKind> = {
  coverageScene: 'coverage_scene',
  deliverable: 'deliverable',
  editingStyle: 'editing_style',
  operatorType: 'operator_type',
  billableItem: 'billable_item',
  service: 'service',
  package: 'package',
};
const FIELD_OF_KIND = Object.fromEntries(Object.entries(KIND_OF_FIELD).map(([field, kind]) => [kind, field])) as Record<CatalogKind, string>;

export const detailsRequest = {
  coverageScene: z.object({}).nullish(),
  deliverable: z
    .object({
      price: requiredMoney,
      defaultComponents: list(z.object({ sceneId: id, editingStyleId: id, targetMinutes: z.number().int(), included: z.boolean() }), CATALOG_LIMITS.parts),
    })
    .nullish(),
  editingStyle: z.object({ ratePerMinute: moneyInput, requirements: list(z.object({ billableItemId: id, quantity }), CATALOG_LIMITS.parts) }).nullish(),
  operatorType: z.object({ pricing: operatorPricing.required, rate: requiredMoney }).nullish(),
  billableItem: z.object({ pricing: billableItemPricing.required, price: requiredMoney, category: text(CATALOG_LIMITS.category), active: z.boolean() }).nullish(),
  service: z.object({ price: requiredMoney, durationMinutes: z.number().int(), active: z.boolean() }).nullish(),
  package: z.object({ price: requiredMoney, contents: list(z.object({ itemId: id, quantity }), CATALOG_LIMITS.parts) }).nullish(),
};

type DetailsRequest = { [K in keyof typeof detailsRequest]?: z.output<(typeof detailsRequest)[K]> };
const asInput = (m: { currency: string; amount: string } | null | undefined): MoneyInput => ({ currency: m?.currency ?? '', amount: m?.amount ?? '' });

/** The one set detail message as the domain's input; exactly one must be set (INVALID_ARGUMENT naming `details` otherwise). */
export function detailsInput(request: DetailsRequest): CatalogItemInput {
  const set = DETAIL_FIELDS.filter((f) => request[f] != null);
  if (set.length !== 1) throw DomainError.invalid({ field: 'details', description: 'must set exactly one of ' + DETAIL_FIELDS.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).join(', ') });
  const d = request;
  switch (set[0]!) {
    case 'coverageScene':
      return { kind: 'coverage_scene' };
    case 'deliverable':
      return { kind: 'deliverable', price: asInput(d.deliverable!.price), defaultComponents: d.deliverable!.defaultComponents };
    case 'editingStyle':
      return { kind: 'editing_style', ratePerMinute: d.editingStyle!.ratePerMinute ? asInput(d.editingStyle!.ratePerMinute) : null, requirements: d.editingStyle!.requirements };
    case 'operatorType':
      return { kind: 'operator_type', pricing: d.operatorType!.pricing, rate: asInput(d.operatorType!.rate) };
    case 'billableItem':
      return { kind: 'billable_item', pricing: d.billableItem!.pricing, price: asInput(d.billableItem!.price), category: d.billableItem!.category || null, active: d.billableItem!.active };
    case 'service':
      return { kind: 'service', price: asInput(d.service!.price), durationMinutes: d.service!.durationMinutes === 0 ? null : d.service!.durationMinutes, active: d.service!.active };
    case 'package':
      return { kind: 'package', price: asInput(d.package!.price), contents: d.package!.contents };
  }
}

/** The decider names `details.<field>`; the proto names the set oneof member (`deliverable.price`). */
export function withProtoDetailFields<T>(kind: CatalogKind, action: () => Promise<T>): Promise<T> {
  return action().catch((error: unknown) => {
    if (!(error instanceof DomainError) || error.code !== DomainErrorCode.InvalidArgument) throw error;
    const renamed = error.fieldViolations.map((v) => ({ ...v, field: v.field.startsWith('details.') ? `${FIELD_OF_KIND[kind]}.${v.field.slice('details.'.length)}` : v.field }));
    throw DomainError.invalid(renamed.filter((v) => v.field !== `${FIELD_OF_KIND[kind]}.kind`));
  });
}

export const moneyToProto = (m: Money) => ({ currency: m.currency, amount: formatMoney(m) });

export function catalogItemToProto(row: CatalogItemRow): ledgerCatalogV1.CatalogItem {
  const d = row.details;
  const details: Partial<ledgerCatalogV1.CatalogItem> = (() => {
    switch (d.kind) {
      case 'coverage_scene':
        return { coverageScene: {} };
      case 'deliverable':
        return { deliverable: { price: moneyToProto(d.price), defaultComponents: d.defaultComponents.map((c) => ({ ...c })) } };
      case 'editing_style':
        return { editingStyle: { ...(d.ratePerMinute ? { ratePerMinute: moneyToProto(d.ratePerMinute) } : {}), requirements: d.requirements.map((r) => ({ ...r })) } };
      case 'operator_type':
        return { operatorType: { pricing: operatorPricing.toProto(d.pricing), rate: moneyToProto(d.rate) } };
      case 'billable_item':
        return { billableItem: { pricing: billableItemPricing.toProto(d.pricing), price: moneyToProto(d.price), category: d.category ?? '', active: d.active } };
      case 'service':
        return { service: { price: moneyToProto(d.price), durationMinutes: d.durationMinutes ?? 0, active: d.active } };
      case 'package':
        return { package: { price: moneyToProto(d.price), contents: d.contents.map((c) => ({ ...c })) } };
    }
  })();
  return {
    itemId: row.itemId,
    kind: catalogKind.toProto(row.kind),
    name: row.name,
    description: row.description ?? '',
    retired: row.retired,
    ...details,
    updatedAt: toTimestamp(row.updatedAt),
  };
}
