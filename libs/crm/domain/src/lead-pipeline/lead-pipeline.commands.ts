import type { Command } from '@projectflo/platform/core';

export type DefineLeadStatus = Command<
  'DefineLeadStatus',
  {
    readonly statusId: string;
    readonly name: string;
    readonly description?: string;
    /** 0-based position among the active statuses (at most their number); appended at the end when absent. */
    readonly position?: number;
  }
>;

/** Renames a status; the description is replaced only when given. */
export type RenameLeadStatus = Command<
  'RenameLeadStatus',
  { readonly statusId: string; readonly name: string; readonly description?: string }
>;

/** Must list every active status id exactly once. */
export type ReorderLeadStatuses = Command<'ReorderLeadStatuses', { readonly statusIds: readonly string[] }>;

export type RetireLeadStatus = Command<'RetireLeadStatus', { readonly statusId: string; readonly reason?: string }>;

export type LeadPipelineCommand = DefineLeadStatus | RenameLeadStatus | ReorderLeadStatuses | RetireLeadStatus;
