import { assertNever, defineDecider, DomainError, Violations } from '@projectflo/platform/core';
import { type Money, parseMoney, parseQuantity } from '../money/money';
import type { CatalogCommand, CatalogItemInput, MoneyInput, RetireCatalogItem, UpsertCatalogItem } from './catalog.commands';
import { CATALOG_KINDS, type CatalogEvent, type CatalogItemDetails, type CatalogItemRecord, type CatalogKind } from './catalog.events';
import { own } from '../shared/records';

/** Bounds of the catalog (the gRPC edge applies the same). */
export const CATALOG_LIMITS = { id: 128, name: 200, description: 2_000, category: 100, items: 2_000, parts: 50, targetMinutes: 10_000, durationMinutes: 100_000 } as const;

/** An item of the catalog with whether it is retired. */
export interface CatalogItem extends CatalogItemRecord {
  readonly retired: boolean;
}

/**
 * A tenant's catalog: one stream per tenant (`catalog-<tenant>`), so a name is checked unique
 * against every other item of its kind, and a reference (a deliverable's default components, a
 * style's requirements, a package's contents) against the items it names, in one decision.
 */
export interface CatalogState {
  readonly tenantId: string | null;
  readonly items: Readonly<Record<string, CatalogItem>>;
}

export const initialCatalogState = (): CatalogState => ({ tenantId: null, items: {} });

export function evolveCatalog(state: CatalogState, event: CatalogEvent): CatalogState {
  switch (event.type) {
    case 'CatalogItemDefined':
    case 'CatalogItemUpdated': {
      const { itemId, name, description, details, tenantId } = event.data;
      return { tenantId, items: { ...state.items, [itemId]: { itemId, name, description, details, retired: false } } };
    }
    case 'CatalogItemRetired': {
      const item = own(state.items, event.data.itemId);
      return item ? { ...state, items: { ...state.items, [item.itemId]: { ...item, retired: true } } } : state;
    }
    default:
      return assertNever(event, 'catalog event');
  }
}

/** Names compare case- and space-insensitively ("Ceremony" = " ceremony "). */
const nameKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** A live item of `kind`, or the refusal (NOT_FOUND for an unknown id or another kind; FAILED_PRECONDITION for a retired one). */
export function liveCatalogItem<K extends CatalogKind>(state: CatalogState, kind: K, itemId: string): CatalogItem & { details: Extract<CatalogItemDetails, { kind: K }> } {
  const item = own(state.items, itemId);
  if (!item || item.details.kind !== kind) throw DomainError.notFound(kind.replace('_', ' '), itemId);
  if (item.retired) throw DomainError.precondition(`${kind.replace('_', ' ')} ${itemId} is retired`, { itemId, kind });
  return item as CatalogItem & { details: Extract<CatalogItemDetails, { kind: K }> };
}

function money(v: Violations, field: string, input: MoneyInput | null | undefined): Money {
  if (!input || typeof input !== 'object') {
    v.add(field, 'is required');
    return { amountMinor: 0, currency: 'XXX' };
  }
  return parseMoney(v, field, input.amount, input.currency) ?? { amountMinor: 0, currency: input.currency };
}

/** The id `field` names must be a live item of `kind` in this catalog. */
function reference(v: Violations, state: CatalogState, field: string, value: unknown, kinds: readonly CatalogKind[]): string {
  const id = v.identifier(field, value, CATALOG_LIMITS.id);
  if (id === '') return id;
  const item = own(state.items, id);
  if (!item || !kinds.includes(item.details.kind)) v.add(field, `names no ${kinds.join(' or ').replace(/_/g, ' ')} of this catalog`);
  else if (item.retired) v.add(field, `names a retired ${item.details.kind.replace('_', ' ')}`);
  return id;
}

function parts<T>(v: Violations, field: string, value: readonly T[] | undefined): readonly T[] {
  const list = value ?? [];
  if (!Array.isArray(list)) {
    v.add(field, 'must be a list');
    return [];
  }
  if (list.length > CATALOG_LIMITS.parts) v.add(field, `must hold at most ${CATALOG_LIMITS.parts} entries`);
  return list;
}

function details(v: Violations, state: CatalogState, input: CatalogItemInput | undefined): CatalogItemDetails {
  const kind = v.oneOf('details.kind', input?.kind, CATALOG_KINDS);
  if (!input || v.count > 0) return { kind: 'coverage_scene' };
  switch (input.kind) {
    case 'coverage_scene':
      return { kind: 'coverage_scene' };
    case 'deliverable':
      return {
        kind,
        price: money(v, 'details.price', input.price),
        defaultComponents: parts(v, 'details.defaultComponents', input.defaultComponents).map((c, i) => ({
          sceneId: reference(v, state, `details.defaultComponents[${i}].sceneId`, c.sceneId, ['coverage_scene']),
          editingStyleId: reference(v, state, `details.defaultComponents[${i}].editingStyleId`, c.editingStyleId, ['editing_style']),
          targetMinutes: v.integer(`details.defaultComponents[${i}].targetMinutes`, c.targetMinutes, { min: 0, max: CATALOG_LIMITS.targetMinutes }),
          included: v.boolean(`details.defaultComponents[${i}].included`, c.included),
        })),
      } as CatalogItemDetails;
    case 'editing_style': {
      const requirements = parts(v, 'details.requirements', input.requirements).map((r, i) => ({
        billableItemId: reference(v, state, `details.requirements[${i}].billableItemId`, r.billableItemId, ['billable_item']),
        quantity: parseQuantity(v, `details.requirements[${i}].quantity`, r.quantity) ?? '1',
      }));
      const ids = requirements.map((r) => r.billableItemId);
      if (new Set(ids).size !== ids.length) v.add('details.requirements', 'must name each billable item once');
      return { kind: 'editing_style', ratePerMinute: input.ratePerMinute ? money(v, 'details.ratePerMinute', input.ratePerMinute) : null, requirements };
    }
    case 'operator_type':
      return { kind: 'operator_type', pricing: v.oneOf('details.pricing', input.pricing, ['hourly', 'fixed'] as const), rate: money(v, 'details.rate', input.rate) };
    case 'billable_item':
      return {
        kind: 'billable_item',
        pricing: v.oneOf('details.pricing', input.pricing, ['fixed', 'per_unit'] as const),
        price: money(v, 'details.price', input.price),
        category: v.optionalText('details.category', input.category, { max: CATALOG_LIMITS.category }),
        active: v.boolean('details.active', input.active),
      };
    case 'service':
      return {
        kind: 'service',
        price: money(v, 'details.price', input.price),
        durationMinutes: input.durationMinutes == null ? null : v.integer('details.durationMinutes', input.durationMinutes, { min: 1, max: CATALOG_LIMITS.durationMinutes }),
        active: v.boolean('details.active', input.active),
      };
    case 'package': {
      const price = money(v, 'details.price', input.price);
      const contents = parts(v, 'details.contents', input.contents).map((c, i) => ({
        itemId: reference(v, state, `details.contents[${i}].itemId`, c.itemId, ['billable_item', 'service']),
        quantity: parseQuantity(v, `details.contents[${i}].quantity`, c.quantity) ?? '1',
      }));
      if (contents.length === 0) v.add('details.contents', 'must name at least one billable item or service');
      return { kind: 'package', price, contents };
    }
    default:
      return assertNever(input, 'catalog item kind');
  }
}

/** The ids a live item's details name (what retiring them would break). */
function referencesOf(item: CatalogItem): string[] {
  const d = item.details;
  switch (d.kind) {
    case 'deliverable':
      return d.defaultComponents.flatMap((c) => [c.sceneId, c.editingStyleId]);
    case 'editing_style':
      return d.requirements.map((r) => r.billableItemId);
    case 'package':
      return d.contents.map((c) => c.itemId);
    default:
      return [];
  }
}

function decideUpsert(command: UpsertCatalogItem, state: CatalogState): CatalogEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const itemId = v.uuid('itemId', data.itemId);
  const name = v.text('name', data.name, { required: true, max: CATALOG_LIMITS.name });
  const description = v.optionalText('description', data.description, { max: CATALOG_LIMITS.description });
  const itemDetails = details(v, state, data.details);
  v.throwIfAny();
  const existing = own(state.items, itemId);
  if (existing && existing.details.kind !== itemDetails.kind) {
    throw DomainError.precondition(`catalog item ${itemId} is a ${existing.details.kind.replace('_', ' ')}, not a ${itemDetails.kind.replace('_', ' ')}`, { itemId });
  }
  if (existing?.retired) throw DomainError.precondition(`catalog item ${itemId} is retired`, { itemId });
  const clash = Object.values(state.items).find((i) => !i.retired && i.itemId !== itemId && i.details.kind === itemDetails.kind && nameKey(i.name) === nameKey(name));
  if (clash) throw DomainError.invalid({ field: 'name', description: `is already the name of ${itemDetails.kind.replace('_', ' ')} ${clash.itemId}` });
  if (!existing && Object.keys(state.items).length >= CATALOG_LIMITS.items) {
    throw DomainError.precondition(`the catalog holds ${CATALOG_LIMITS.items} items`, {});
  }
  const record: CatalogItemRecord = { itemId, name, description, details: itemDetails };
  const at = metadata.now.toISOString();
  if (!existing) return [{ type: 'CatalogItemDefined', data: { tenantId: metadata.tenantId, ...record, definedBy: metadata.actorId, definedAt: at } }];
  if (JSON.stringify({ name: existing.name, description: existing.description, details: existing.details }) === JSON.stringify({ name, description, details: itemDetails })) return [];
  return [{ type: 'CatalogItemUpdated', data: { tenantId: metadata.tenantId, ...record, updatedBy: metadata.actorId, updatedAt: at } }];
}

function decideRetire(command: RetireCatalogItem, state: CatalogState): CatalogEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const itemId = v.uuid('itemId', data.itemId);
  const kind = v.oneOf('kind', data.kind, CATALOG_KINDS);
  v.throwIfAny();
  const item = own(state.items, itemId);
  if (!item || item.details.kind !== kind) throw DomainError.notFound(kind.replace('_', ' '), itemId);
  if (item.retired) return [];
  const referrers = Object.values(state.items).filter((i) => !i.retired && referencesOf(i).includes(itemId));
  if (referrers.length > 0) {
    throw DomainError.precondition(`${kind.replace('_', ' ')} ${itemId} is used by ${referrers.map((r) => r.name).join(', ')}: change or retire those first`, {
      itemId,
      usedBy: referrers.map((r) => r.itemId),
    });
  }
  return [{ type: 'CatalogItemRetired', data: { tenantId: metadata.tenantId, itemId, kind, retiredBy: metadata.actorId, retiredAt: metadata.now.toISOString() } }];
}

export const catalogDecider = defineDecider<CatalogState, CatalogCommand, CatalogEvent>({
  aggregate: 'catalog',
  schemaVersions: { CatalogItemDefined: 1, CatalogItemUpdated: 1, CatalogItemRetired: 1 },
  initialState: initialCatalogState,
  evolve: evolveCatalog,
  decide(command, state) {
    switch (command.type) {
      case 'UpsertCatalogItem':
        return decideUpsert(command, state);
      case 'RetireCatalogItem':
        return decideRetire(command, state);
      default:
        return assertNever(command, 'catalog command');
    }
  },
});
