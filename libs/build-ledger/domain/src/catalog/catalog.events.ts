import type { DomainEvent } from '@projectflo/platform/core';
import type { Money } from '../money/money';

/** The kinds of things a studio's catalog holds. */
export const CATALOG_KINDS = ['coverage_scene', 'deliverable', 'editing_style', 'operator_type', 'billable_item', 'service', 'package'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

/** A component a deliverable brings along when it is added to a build. */
export interface DefaultComponent {
  readonly sceneId: string;
  readonly editingStyleId: string;
  /** Whole minutes of finished footage the component aims at. */
  readonly targetMinutes: number;
  readonly included: boolean;
}

/** A billable item an editing style needs (added to a build with the style's first component). */
export interface StyleRequirement {
  readonly billableItemId: string;
  /** Decimal quantity ("1", "2.5"). */
  readonly quantity: string;
}

/** What a package bundles: billable items or services. */
export interface PackageContent {
  readonly itemId: string;
  readonly quantity: string;
}

/** The kind-specific part of a catalog item. */
export type CatalogItemDetails =
  | { readonly kind: 'coverage_scene' }
  | { readonly kind: 'deliverable'; readonly price: Money; readonly defaultComponents: readonly DefaultComponent[] }
  | { readonly kind: 'editing_style'; readonly ratePerMinute: Money | null; readonly requirements: readonly StyleRequirement[] }
  | { readonly kind: 'operator_type'; readonly pricing: 'hourly' | 'fixed'; readonly rate: Money }
  | { readonly kind: 'billable_item'; readonly pricing: 'fixed' | 'per_unit'; readonly price: Money; readonly category: string | null; readonly active: boolean }
  | { readonly kind: 'service'; readonly price: Money; readonly durationMinutes: number | null; readonly active: boolean }
  | { readonly kind: 'package'; readonly price: Money; readonly contents: readonly PackageContent[] };

/** One item of the catalog as events record it (every field, so a fold needs no earlier event). */
export interface CatalogItemRecord {
  readonly itemId: string;
  readonly name: string;
  readonly description: string | null;
  readonly details: CatalogItemDetails;
}

type Fact = { readonly tenantId: string };

export type CatalogItemDefined = DomainEvent<'CatalogItemDefined', Fact & CatalogItemRecord & { readonly definedBy: string; readonly definedAt: string }>;
export type CatalogItemUpdated = DomainEvent<'CatalogItemUpdated', Fact & CatalogItemRecord & { readonly updatedBy: string; readonly updatedAt: string }>;
export type CatalogItemRetired = DomainEvent<
  'CatalogItemRetired',
  Fact & { readonly itemId: string; readonly kind: CatalogKind; readonly retiredBy: string; readonly retiredAt: string }
>;

export type CatalogEvent = CatalogItemDefined | CatalogItemUpdated | CatalogItemRetired;
