import type { Command } from '@projectflo/platform/core';
import type { CatalogKind } from './catalog.events';

/** An amount as a request gives it: a decimal in major units and its ISO 4217 code ("1250.50", "USD"). */
export interface MoneyInput {
  readonly amount: string;
  readonly currency: string;
}

/** The kind-specific part of an upsert, as the request gives it (checked by the decider). */
export type CatalogItemInput =
  | { readonly kind: 'coverage_scene' }
  | {
      readonly kind: 'deliverable';
      readonly price: MoneyInput;
      readonly defaultComponents: readonly { readonly sceneId: string; readonly editingStyleId: string; readonly targetMinutes: number; readonly included: boolean }[];
    }
  | { readonly kind: 'editing_style'; readonly ratePerMinute?: MoneyInput | null; readonly requirements: readonly { readonly billableItemId: string; readonly quantity: string }[] }
  | { readonly kind: 'operator_type'; readonly pricing: 'hourly' | 'fixed'; readonly rate: MoneyInput }
  | { readonly kind: 'billable_item'; readonly pricing: 'fixed' | 'per_unit'; readonly price: MoneyInput; readonly category?: string | null; readonly active: boolean }
  | { readonly kind: 'service'; readonly price: MoneyInput; readonly durationMinutes?: number | null; readonly active: boolean }
  | { readonly kind: 'package'; readonly price: MoneyInput; readonly contents: readonly { readonly itemId: string; readonly quantity: string }[] };

/** Defines an item (new id) or replaces an existing live item of the same kind. */
export type UpsertCatalogItem = Command<
  'UpsertCatalogItem',
  { readonly itemId: string; readonly name: string; readonly description?: string | null; readonly details: CatalogItemInput }
>;

/** Retires an item: no new build may use it; builds that did keep what they captured. */
export type RetireCatalogItem = Command<'RetireCatalogItem', { readonly itemId: string; readonly kind: CatalogKind }>;

export type CatalogCommand = UpsertCatalogItem | RetireCatalogItem;
