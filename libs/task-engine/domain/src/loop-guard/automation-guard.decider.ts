import { assertNever, defineDecider, Violations } from '@projectflo/platform/core';
import { toInstantString } from '../shared/time';
import { LIMITS } from '../shared/text-limits';
import type { AutomationGuardCommand, RecordAutomationLoopStopped } from './automation-guard.commands';
import type { AutomationGuardEvent } from './automation-guard.events';

/**
 * One stream per tenant that records only the stops (not every admitted trigger, which would make
 * it a per-tenant hot spot). A trigger is stopped at most once: a retried workflow activity
 * records nothing new.
 */
export interface AutomationGuardState {
  readonly stoppedTriggerEventIds: ReadonlySet<string>;
}

export const initialAutomationGuardState = (): AutomationGuardState => ({ stoppedTriggerEventIds: new Set() });

export function evolveAutomationGuard(state: AutomationGuardState, event: AutomationGuardEvent): AutomationGuardState {
  switch (event.type) {
    case 'AutomationLoopStopped':
      return { stoppedTriggerEventIds: new Set([...state.stoppedTriggerEventIds, event.data.triggerEventId]) };
    default:
      return assertNever(event.type, 'automation guard event');
  }
}

function decideRecord(command: RecordAutomationLoopStopped, state: AutomationGuardState): AutomationGuardEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('triggerEventId', data.triggerEventId, LIMITS.id);
  v.identifier('subjectId', data.subjectId, LIMITS.id);
  v.integer('depth', data.depth, { min: 0, max: 1_000 });
  v.oneOf('reason', data.reason, ['max_depth', 'rate_limit'] as const);
  const detail = v.text('detail', data.detail, { required: true, max: LIMITS.reason });
  v.oneOf('trigger.kind', data.trigger?.kind, ['lead_status', 'event_type'] as const);
  v.throwIfAny();
  if (state.stoppedTriggerEventIds.has(data.triggerEventId)) return [];
  return [
    {
      type: 'AutomationLoopStopped',
      data: {
        tenantId: metadata.tenantId,
        triggerEventId: data.triggerEventId,
        trigger: data.trigger,
        subjectId: data.subjectId,
        depth: data.depth,
        reason: data.reason,
        detail,
        stoppedBy: metadata.actorId,
        stoppedAt: toInstantString(metadata.now),
      },
    },
  ];
}

export const automationGuardDecider = defineDecider<AutomationGuardState, AutomationGuardCommand, AutomationGuardEvent>({
  aggregate: 'automation guard',
  schemaVersions: { AutomationLoopStopped: 1 },
  initialState: initialAutomationGuardState,
  evolve: evolveAutomationGuard,
  decide: decideRecord,
});
