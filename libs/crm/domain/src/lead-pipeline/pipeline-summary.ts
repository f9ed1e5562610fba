import type { LeadStatusView } from './lead-pipeline.decider';

export interface PipelineSummaryRow {
  readonly statusId: string;
  readonly name: string;
  /** Null for a retired status. */
  readonly order: number | null;
  readonly retired: boolean;
  readonly leadCount: number;
}

export interface PipelineSummary {
  /** Active statuses in pipeline order (even when empty), then retired ones (see includeRetired). */
  readonly rows: readonly PipelineSummaryRow[];
  readonly openLeads: number;
  /** Open leads whose status the catalog does not know (a projection lagging the pipeline). */
  readonly leadsInUnknownStatus: number;
}

/**
 * The pipeline board: open leads per status. A retired status is listed (after the active ones,
 * in the order given) while open leads sit in it, so no lead silently drops off the board; with
 * `includeRetired`, always.
 */
export function pipelineSummary(
  openLeadsByStatus: ReadonlyMap<string, number>,
  statuses: readonly LeadStatusView[],
  options: { readonly includeRetired?: boolean } = {},
): PipelineSummary {
  const row = (s: LeadStatusView): PipelineSummaryRow => ({
    statusId: s.statusId,
    name: s.name,
    order: s.retired ? null : s.order,
    retired: s.retired,
    leadCount: openLeadsByStatus.get(s.statusId) ?? 0,
  });
  const active = statuses
    .filter((s) => !s.retired)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map(row);
  const retired = statuses
    .filter((s) => s.retired)
    .map(row)
    .filter((r) => options.includeRetired === true || r.leadCount > 0);
  const known = new Set(statuses.map((s) => s.statusId));
  let openLeads = 0;
  let leadsInUnknownStatus = 0;
  for (const [statusId, count] of openLeadsByStatus) {
    openLeads += count;
    if (!known.has(statusId)) leadsInUnknownStatus += count;
  }
  return { rows: [...active, ...retired], openLeads, leadsInUnknownStatus };
}
