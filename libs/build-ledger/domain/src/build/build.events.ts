import type { DomainEvent } from '@projectflo/platform/core';
import type { ledgerBuildEventsV1 } from '@projectflo/contracts';
import type { z } from 'zod';
import type { Money } from '../money/money';

export const BUILD_STATUSES = ['inquiry', 'proposal_sent', 'booked', 'completed', 'archived'] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];

/** Scene × operator type × how many operators (× hours on the day for an hourly rate), at the rate captured when added. */
export interface CoverageLine {
  readonly lineId: string;
  readonly sceneId: string;
  readonly sceneName: string;
  readonly operatorTypeId: string;
  readonly operatorTypeName: string;
  readonly pricing: 'hourly' | 'fixed';
  readonly quantity: number;
  /** Hours each operator works ("8", "1.5") for an hourly rate; null for a fixed rate. */
  readonly hours: string | null;
  readonly rate: Money;
}

/** A deliverable of the build at the base price captured when added. */
export interface DeliverableLine {
  readonly lineId: string;
  readonly deliverableId: string;
  readonly name: string;
  readonly price: Money;
}

/** A production component of a deliverable: scene × editing style × target minutes × included. */
export interface ComponentLine {
  readonly lineId: string;
  readonly deliverableLineId: string;
  readonly deliverableId: string;
  readonly deliverableName: string;
  readonly sceneId: string;
  readonly sceneName: string;
  readonly editingStyleId: string;
  readonly editingStyleName: string;
  readonly targetMinutes: number;
  readonly included: boolean;
  /** The style's per-minute rate captured when added; null when the style has none (priced in the deliverable). */
  readonly ratePerMinute: Money | null;
}

/** Where a billable item line came from: added by hand, or required by an editing style of a component. */
export type ItemOrigin = { readonly kind: 'manual' } | { readonly kind: 'style_requirement'; readonly editingStyleId: string };

/** A billable item at the price captured when added. */
export interface ItemLine {
  readonly lineId: string;
  readonly billableItemId: string;
  readonly name: string;
  readonly pricing: 'fixed' | 'per_unit';
  readonly quantity: string;
  readonly price: Money;
  readonly notes: string | null;
  readonly origin: ItemOrigin;
}

/** Everything that is priced: the build's configuration. */
export interface BuildConfiguration {
  readonly coverage: readonly CoverageLine[];
  readonly deliverables: readonly DeliverableLine[];
  readonly components: readonly ComponentLine[];
  readonly items: readonly ItemLine[];
}

/** One change of a configuration as it was decided (prices captured, ids assigned): what events record and evolve applies. */
export type ConfigurationChange =
  | { readonly op: 'add_coverage'; readonly line: CoverageLine }
  | { readonly op: 'remove_coverage'; readonly lineId: string }
  | { readonly op: 'add_deliverable'; readonly line: DeliverableLine; readonly components: readonly ComponentLine[]; readonly items: readonly ItemLine[] }
  | { readonly op: 'remove_deliverable'; readonly lineId: string }
  | { readonly op: 'add_component'; readonly line: ComponentLine; readonly items: readonly ItemLine[] }
  | { readonly op: 'update_component'; readonly lineId: string; readonly targetMinutes: number; readonly included: boolean }
  | { readonly op: 'remove_component'; readonly lineId: string }
  | { readonly op: 'add_billable_item'; readonly line: ItemLine }
  | { readonly op: 'update_billable_item'; readonly lineId: string; readonly quantity: string; readonly notes: string | null }
  | { readonly op: 'remove_billable_item'; readonly lineId: string };

/** A discount granted by an approved change order. */
export interface Discount {
  readonly changeOrderId: string;
  readonly version: number;
  readonly kind: 'percent' | 'fixed';
  /** The percentage ("12.5") of a percent discount; null for a fixed one. */
  readonly percent: string | null;
  readonly amount: Money;
  readonly reason: string;
}

/** The whole build at one configuration version: what was agreed. */
export interface BuildSnapshot {
  readonly version: number;
  readonly configuration: BuildConfiguration;
  readonly subtotal: Money;
  readonly discounts: readonly Discount[];
  readonly approvedTotal: Money;
}

type Fact = { readonly tenantId: string; readonly buildId: string };
type By = { readonly by: string; readonly at: string };

export type BuildCreated = DomainEvent<
  'BuildCreated',
  Fact & {
    readonly leadId: string | null;
    readonly name: string;
    readonly currency: string;
    readonly eventDate: string | null;
    readonly quoteExpiresOn: string | null;
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;
export type BuildDetailsChanged = DomainEvent<'BuildDetailsChanged', Fact & By & { readonly name: string; readonly eventDate: string | null; readonly quoteExpiresOn: string | null }>;
export type BuildLinked = DomainEvent<'BuildLinked', Fact & By & { readonly clientId: string | null; readonly projectId: string | null }>;
export type BuildConfigured = DomainEvent<
  'BuildConfigured',
  Fact & By & { readonly changes: readonly ConfigurationChange[]; readonly lineSequence: number; readonly livePrice: Money }
>;
export type BuildStatusChanged = DomainEvent<'BuildStatusChanged', Fact & By & { readonly from: BuildStatus; readonly to: BuildStatus }>;
export type BuildApproved = DomainEvent<'BuildApproved', Fact & By & { readonly version: number; readonly approvedTotal: Money; readonly snapshot: BuildSnapshot }>;
export type BuildBooked = DomainEvent<'BuildBooked', z.infer<typeof ledgerBuildEventsV1.BuildBookedV1>>;
export type ChangeOrderProposed = DomainEvent<
  'ChangeOrderProposed',
  Fact &
    By & {
      readonly changeOrderId: string;
      readonly version: number;
      readonly baseVersion: number;
      readonly description: string;
      readonly changes: readonly ConfigurationChange[];
      readonly lineSequence: number;
      readonly priceDelta: Money;
      readonly discount: Omit<Discount, 'changeOrderId' | 'version'> | null;
      readonly newApprovedTotal: Money;
    }
>;
export type ChangeOrderApproved = DomainEvent<
  'ChangeOrderApproved',
  Fact & By & { readonly changeOrderId: string; readonly version: number; readonly newApprovedTotal: Money; readonly snapshot: BuildSnapshot }
>;
export type ChangeOrderRejected = DomainEvent<'ChangeOrderRejected', Fact & By & { readonly changeOrderId: string; readonly version: number; readonly reason: string | null }>;

export type BuildEvent =
  | BuildCreated
  | BuildDetailsChanged
  | BuildLinked
  | BuildConfigured
  | BuildStatusChanged
  | BuildApproved
  | BuildBooked
  | ChangeOrderProposed
  | ChangeOrderApproved
  | ChangeOrderRejected;
