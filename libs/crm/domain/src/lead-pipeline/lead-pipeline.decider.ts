import { defineDecider, assertNever, DomainError, DomainErrorCode, Violations } from '@projectflo/platform/core';
import { TextLimits } from '../shared/text-limits';
import type { LeadPipelineCommand } from './lead-pipeline.commands';
import type { LeadPipelineEvent } from './lead-pipeline.events';

/** A status stays here after it is retired, so history that names it can still be read. */
export interface LeadStatus {
  readonly statusId: string;
  readonly name: string;
  readonly description: string;
  readonly retired: boolean;
}

/** One catalog per tenant (stream `lead-pipeline-<tenantId>`). */
export interface LeadPipelineState {
  readonly statuses: Readonly<Record<string, LeadStatus>>;
  /** Active (non-retired) status ids in pipeline order. */
  readonly activeOrder: readonly string[];
}

/** The facts about one status that a handler looks up here and passes to the lead decider. */
export interface StatusLookup {
  readonly statusId: string;
  readonly exists: boolean;
  readonly retired: boolean;
}

export function statusLookup(state: LeadPipelineState, statusId: string): StatusLookup {
  const status = state.statuses[statusId];
  return { statusId, exists: status !== undefined, retired: status?.retired ?? false };
}

/** The first active status: where a lead is captured when the request names none. */
export function firstActiveStatusId(state: LeadPipelineState): string | null {
  return state.activeOrder[0] ?? null;
}

export interface LeadStatusView extends LeadStatus {
  /** 0-based pipeline position; null for a retired status. */
  readonly order: number | null;
}

/** Active statuses in pipeline order, then retired ones (in the order they were defined). */
export function listStatuses(state: LeadPipelineState): LeadStatusView[] {
  const active = state.activeOrder.map((id, order) => ({ ...state.statuses[id]!, order }));
  const retired = Object.values(state.statuses)
    .filter((s) => s.retired)
    .map((s) => ({ ...s, order: null }));
  return [...active, ...retired];
}

export const leadPipelineDecider = defineDecider<LeadPipelineState, LeadPipelineCommand, LeadPipelineEvent>({
  aggregate: 'lead pipeline',
  schemaVersions: { LeadStatusDefined: 1, LeadStatusRenamed: 1, LeadStatusesReordered: 1, LeadStatusRetired: 1 },
  initialState: () => ({ statuses: {}, activeOrder: [] }),
  evolve,
  decide,
});

const MAX_STATUSES_IN_REORDER = 500;

function evolve(state: LeadPipelineState, event: LeadPipelineEvent): LeadPipelineState {
  switch (event.type) {
    case 'LeadStatusDefined': {
      const { statusId, name, description, order } = event.data;
      const activeOrder = [...state.activeOrder];
      activeOrder.splice(order, 0, statusId);
      return { statuses: { ...state.statuses, [statusId]: { statusId, name, description, retired: false } }, activeOrder };
    }
    case 'LeadStatusRenamed': {
      const status = state.statuses[event.data.statusId];
      if (!status) return state;
      const renamed = { ...status, name: event.data.name, description: event.data.description };
      return { ...state, statuses: { ...state.statuses, [status.statusId]: renamed } };
    }
    case 'LeadStatusesReordered':
      return { ...state, activeOrder: [...event.data.statusIds] };
    case 'LeadStatusRetired': {
      const status = state.statuses[event.data.statusId];
      if (!status) return state;
      return {
        statuses: { ...state.statuses, [status.statusId]: { ...status, retired: true } },
        activeOrder: state.activeOrder.filter((id) => id !== status.statusId),
      };
    }
    default:
      return assertNever(event, 'lead-pipeline event');
  }
}

function decide(command: LeadPipelineCommand, state: LeadPipelineState): LeadPipelineEvent[] {
  const { actorId } = command.metadata;
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'DefineLeadStatus': {
      const d = command.data;
      const v = new Violations();
      const statusId = v.uuid('statusId', d.statusId);
      const name = v.text('name', d.name, { max: TextLimits.name, required: true });
      const description = v.text('description', d.description, { max: TextLimits.description });
      let order = state.activeOrder.length;
      if (d.position !== undefined) order = v.integer('position', d.position, { min: 0, max: state.activeOrder.length });
      v.throwIfAny();
      if (state.statuses[statusId]) throw DomainError.alreadyExists('lead status', statusId);
      assertNameFree(state, name, statusId);
      return [{ type: 'LeadStatusDefined', data: { statusId, name, description, order, definedAt: at, definedBy: actorId } }];
    }
    case 'RenameLeadStatus': {
      const status = activeStatus(state, command.data.statusId);
      const v = new Violations();
      const name = v.text('name', command.data.name, { max: TextLimits.name, required: true });
      const description =
        command.data.description === undefined
          ? status.description
          : v.text('description', command.data.description, { max: TextLimits.description });
      v.throwIfAny();
      if (name === status.name && description === status.description) return [];
      assertNameFree(state, name, status.statusId);
      return [
        {
          type: 'LeadStatusRenamed',
          data: { statusId: status.statusId, previousName: status.name, name, description, renamedAt: at, renamedBy: actorId },
        },
      ];
    }
    case 'ReorderLeadStatuses': {
      const v = new Violations();
      const statusIds = v.uuidList('statusIds', command.data.statusIds, MAX_STATUSES_IN_REORDER);
      v.throwIfAny();
      const active = new Set(state.activeOrder);
      const missing = state.activeOrder.filter((id) => !statusIds.includes(id));
      const foreign = statusIds.filter((id) => !active.has(id));
      if (missing.length > 0 || foreign.length > 0) {
        const problems = [
          missing.length > 0 ? `missing active statuses ${missing.join(', ')}` : '',
          foreign.length > 0 ? `unknown or retired statuses ${foreign.join(', ')}` : '',
        ].filter(Boolean);
        throw DomainError.invalid({
          field: 'statusIds',
          description: `must list every active status exactly once: ${problems.join('; ')}`,
        });
      }
      if (statusIds.every((id, index) => state.activeOrder[index] === id)) return [];
      return [{ type: 'LeadStatusesReordered', data: { statusIds, reorderedAt: at, reorderedBy: actorId } }];
    }
    case 'RetireLeadStatus': {
      const status = knownStatus(state, command.data.statusId);
      const v = new Violations();
      const reason = v.text('reason', command.data.reason, { max: TextLimits.reason });
      v.throwIfAny();
      if (status.retired) {
        throw DomainError.precondition(`lead status ${status.statusId} is already retired`, { statusId: status.statusId });
      }
      return [{ type: 'LeadStatusRetired', data: { statusId: status.statusId, reason, retiredAt: at, retiredBy: actorId } }];
    }
    default:
      return assertNever(command, 'lead-pipeline command');
  }
}

function knownStatus(state: LeadPipelineState, statusId: string): LeadStatus {
  const status = state.statuses[statusId];
  if (!status) throw DomainError.notFound('lead status', statusId);
  return status;
}

function activeStatus(state: LeadPipelineState, statusId: string): LeadStatus {
  const status = knownStatus(state, statusId);
  if (status.retired) throw DomainError.precondition(`lead status ${statusId} is retired`, { statusId });
  return status;
}

/** Names are unique among active statuses, ignoring case; a retired status frees its name. */
function assertNameFree(state: LeadPipelineState, name: string, exceptStatusId: string): void {
  const wanted = name.toLocaleLowerCase('en-US');
  const holder = state.activeOrder
    .map((id) => state.statuses[id]!)
    .find((s) => s.statusId !== exceptStatusId && s.name.toLocaleLowerCase('en-US') === wanted);
  if (holder) {
    throw new DomainError(DomainErrorCode.AlreadyExists, `a lead status named "${name}" already exists`, [], {
      what: 'lead status',
      statusId: holder.statusId,
    });
  }
}
