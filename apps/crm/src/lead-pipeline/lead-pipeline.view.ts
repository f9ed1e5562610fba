import { leadPipelineDecider, listStatuses, type LeadPipelineEvent, type LeadPipelineState } from '@projectflo/crm/domain';
import type { ViewFold } from '@projectflo/platform/core';
import type { LeadStatusRow } from './lead-pipeline.entities';

/**
 * A tenant's pipeline as the read model keeps it: one row per status, active ones by position,
 * then retired ones in the order they were defined, every row at the pipeline stream's version
 * (what a client pins with expected_version).
 */
export type LeadPipelineView = readonly LeadStatusRow[];

/**
 * The pipeline's rows as a pure fold of its stream: the projection stores them, the pipeline
 * commands reply with them (CommandExecutor.run's view) and a rebuild replays them. Positions
 * are the domain's (the decider's evolve and listStatuses), never worked out a second time here.
 */
export const evolveLeadPipelineView: ViewFold<LeadPipelineView> = (rows, recorded) => {
  const event = { type: recorded.type, data: recorded.data } as LeadPipelineEvent;
  if (!rows && event.type !== 'LeadStatusDefined') return undefined;
  const state = leadPipelineDecider.evolve(rows ? pipelineStateOf(rows) : leadPipelineDecider.initialState(), event);
  const definedAt = new Map(rows?.map((row) => [row.statusId, row.definedAt]));
  if (event.type === 'LeadStatusDefined') definedAt.set(event.data.statusId, new Date(event.data.definedAt));
  const tenantId = recorded.metadata.tenantId;
  const version = recorded.streamPosition;
  return listStatuses(state).map((status) => ({
    statusId: status.statusId,
    tenantId,
    name: status.name,
    description: status.description,
    position: status.order,
    retired: status.retired,
    definedAt: definedAt.get(status.statusId)!,
    version,
  }));
};

/** The decider's state the stored rows stand for: statuses in the order they were defined, the active ones by position. */
function pipelineStateOf(rows: LeadPipelineView): LeadPipelineState {
  const byDefinition = [...rows].sort((a, b) => a.definedAt.getTime() - b.definedAt.getTime() || a.statusId.localeCompare(b.statusId));
  return {
    statuses: Object.fromEntries(byDefinition.map(({ statusId, name, description, retired }) => [statusId, { statusId, name, description, retired }])),
    activeOrder: rows
      .filter((row) => row.position !== null)
      .sort((a, b) => a.position! - b.position!)
      .map((row) => row.statusId),
  };
}
