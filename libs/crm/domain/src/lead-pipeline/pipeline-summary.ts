import type { LeadStatusView } from './lead-pipeline.decider';

/** What the summary needs of a lead (a read-model row will do). */
export interface LeadInPipeline {
  readonly statusId: string;
  readonly archived: boolean;
}

export interface PipelineSummaryRow {
  readonly statusId: string;
  readonly name: string;
  /** Null for a retired status. */
  readonly order: number | null;
  readonly retired: boolean;
  readonly leadCount: number;
}

export interface PipelineSummary {
  /** Active statuses in pipeline order (even when empty), then retired ones still holding leads. */
  readonly rows: readonly PipelineSummaryRow[];
  readonly openLeads: number;
  readonly archivedLeads: number;
  /** Open leads whose status the catalog does not know (a projection lagging the pipeline). */
  readonly leadsInUnknownStatus: number;
}

/**
 * Counts open leads per status for a pipeline board. A retired status disappears from the board
 * only once no open lead sits in it, so no lead silently drops off the board.
 */
export function pipelineSummary(leads: readonly LeadInPipeline[], statuses: readonly LeadStatusView[]): PipelineSummary {
  const counts = new Map<string, number>();
  let archivedLeads = 0;
  for (const lead of leads) {
    if (lead.archived) archivedLeads++;
    else counts.set(lead.statusId, (counts.get(lead.statusId) ?? 0) + 1);
  }
  const known = new Set(statuses.map((s) => s.statusId));
  const row = (s: LeadStatusView): PipelineSummaryRow => ({
    statusId: s.statusId,
    name: s.name,
    order: s.retired ? null : s.order,
    retired: s.retired,
    leadCount: counts.get(s.statusId) ?? 0,
  });
  const active = statuses
    .filter((s) => !s.retired)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map(row);
  const retired = statuses.filter((s) => s.retired).map(row).filter((r) => r.leadCount > 0);
  let leadsInUnknownStatus = 0;
  for (const [statusId, count] of counts) if (!known.has(statusId)) leadsInUnknownStatus += count;
  return { rows: [...active, ...retired], openLeads: leads.length - archivedLeads, archivedLeads, leadsInUnknownStatus };
}
