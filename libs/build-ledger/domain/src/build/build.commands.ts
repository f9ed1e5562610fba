import type { Command } from '@projectflo/platform/core';
import type { CatalogState } from '../catalog/catalog.decider';
import type { MoneyInput } from '../catalog/catalog.commands';

/** One change a client asks for (ids of the catalog and of the build's lines; prices are the catalog's). */
export type ChangeRequest =
  | { readonly op: 'add_coverage'; readonly sceneId: string; readonly operatorTypeId: string; readonly quantity: number; readonly hours?: string | null }
  | { readonly op: 'remove_coverage'; readonly lineId: string }
  | { readonly op: 'add_deliverable'; readonly deliverableId: string }
  | { readonly op: 'remove_deliverable'; readonly lineId: string }
  | {
      readonly op: 'add_component';
      readonly deliverableLineId: string;
      readonly sceneId: string;
      readonly editingStyleId: string;
      readonly targetMinutes: number;
      readonly included: boolean;
    }
  | { readonly op: 'update_component'; readonly lineId: string; readonly targetMinutes: number; readonly included: boolean }
  | { readonly op: 'remove_component'; readonly lineId: string }
  | { readonly op: 'add_billable_item'; readonly billableItemId: string; readonly quantity: string; readonly notes?: string | null }
  | { readonly op: 'update_billable_item'; readonly lineId: string; readonly quantity: string; readonly notes?: string | null }
  | { readonly op: 'remove_billable_item'; readonly lineId: string };

/** A discount a change order asks for: a percentage or a fixed amount, always with a reason. */
export interface DiscountRequest {
  readonly kind: 'percent' | 'fixed';
  readonly percent?: string | null;
  readonly amount?: MoneyInput | null;
  readonly reason: string;
}

type Target = { readonly buildId: string };

export type CreateBuild = Command<
  'CreateBuild',
  Target & {
    readonly leadId?: string | null;
    readonly name: string;
    readonly currency: string;
    readonly eventDate?: string | null;
    readonly quoteExpiresOn?: string | null;
  }
>;
/** Replaces name, event date and quote expiry (absent = cleared for the dates). */
export type UpdateBuildDetails = Command<'UpdateBuildDetails', Target & { readonly name: string; readonly eventDate?: string | null; readonly quoteExpiresOn?: string | null }>;
export type LinkBuild = Command<'LinkBuild', Target & { readonly clientId?: string | null; readonly projectId?: string | null }>;
/** Changes the configuration of an unlocked build; `catalog` is the tenant's catalog the changes are priced from. */
export type ConfigureBuild = Command<'ConfigureBuild', Target & { readonly changes: readonly ChangeRequest[]; readonly catalog: CatalogState }>;
/** Sends the proposal (inquiry → proposal sent), completes a booked build or archives one. */
export type ChangeBuildStatus = Command<'ChangeBuildStatus', Target & { readonly toStatus: 'proposal_sent' | 'completed' | 'archived' }>;
export type ApproveBuild = Command<'ApproveBuild', Target>;
export type BookBuild = Command<'BookBuild', Target>;
export type ProposeChangeOrder = Command<
  'ProposeChangeOrder',
  Target & {
    readonly changeOrderId: string;
    /** The configuration version the change order was written against: a stale one is refused (ABORTED). */
    readonly baseVersion: number;
    readonly description: string;
    readonly changes: readonly ChangeRequest[];
    readonly discount?: DiscountRequest | null;
    readonly catalog: CatalogState;
  }
>;
export type ApproveChangeOrder = Command<'ApproveChangeOrder', Target & { readonly changeOrderId: string }>;
export type RejectChangeOrder = Command<'RejectChangeOrder', Target & { readonly changeOrderId: string; readonly reason?: string | null }>;

export type BuildCommand =
  | CreateBuild
  | UpdateBuildDetails
  | LinkBuild
  | ConfigureBuild
  | ChangeBuildStatus
  | ApproveBuild
  | BookBuild
  | ProposeChangeOrder
  | ApproveChangeOrder
  | RejectChangeOrder;
