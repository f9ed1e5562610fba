import type { DomainEvent } from '@projectflo/platform/core';

export const LeadPipelineEventType = {
  LeadStatusDefined: 'LeadStatusDefined',
  LeadStatusRenamed: 'LeadStatusRenamed',
  LeadStatusesReordered: 'LeadStatusesReordered',
  LeadStatusRetired: 'LeadStatusRetired',
} as const;

export type LeadStatusDefined = DomainEvent<
  'LeadStatusDefined',
  {
    readonly statusId: string;
    readonly name: string;
    readonly description: string;
    /** 0-based position among the active statuses right after this event; later ones shift by one. */
    readonly order: number;
    readonly definedAt: string;
    readonly definedBy: string;
  }
>;

export type LeadStatusRenamed = DomainEvent<
  'LeadStatusRenamed',
  {
    readonly statusId: string;
    readonly previousName: string;
    readonly name: string;
    readonly description: string;
    readonly renamedAt: string;
    readonly renamedBy: string;
  }
>;

export type LeadStatusesReordered = DomainEvent<
  'LeadStatusesReordered',
  {
    /** Every active status id, in pipeline order. */
    readonly statusIds: readonly string[];
    readonly reorderedAt: string;
    readonly reorderedBy: string;
  }
>;

export type LeadStatusRetired = DomainEvent<
  'LeadStatusRetired',
  { readonly statusId: string; readonly reason: string; readonly retiredAt: string; readonly retiredBy: string }
>;

export type LeadPipelineEvent = LeadStatusDefined | LeadStatusRenamed | LeadStatusesReordered | LeadStatusRetired;
