import { assertNever, defineDecider, Violations } from '@projectflo/platform/core';
import { LIMITS } from '../shared/text-limits';
import { toInstantString } from '../shared/time';
import type { ExpansionOutcomeCommand, RecordExpansionOutcome } from './expansion-outcome.commands';
import type { ExpansionFinished, ExpansionOutcomeEvent } from './expansion-outcome.events';

/** Most tasks one expansion's outcome lists (an expansion plans one task per active template of its trigger). */
export const MAX_EXPANSION_TASKS = 500;

/** The outcome of one trigger's expansion, once recorded: stream `expansion-<triggerEventId>`. */
export interface ExpansionOutcomeState {
  readonly finished: ExpansionFinished['data'] | undefined;
}

export const initialExpansionOutcomeState = (): ExpansionOutcomeState => ({ finished: undefined });

export function evolveExpansionOutcome(state: ExpansionOutcomeState, event: ExpansionOutcomeEvent): ExpansionOutcomeState {
  switch (event.type) {
    case 'ExpansionFinished':
      return { finished: event.data };
    default:
      return assertNever(event.type, 'expansion outcome event');
  }
}

/** Recorded once: a retried activity, or a workflow run again for the same trigger, records nothing new. */
function decideRecord(command: RecordExpansionOutcome, state: ExpansionOutcomeState): ExpansionOutcomeEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('triggerEventId', data.triggerEventId, LIMITS.id);
  v.identifier('subjectId', data.subjectId, LIMITS.id);
  v.oneOf('outcome', data.outcome, ['completed', 'stopped', 'cancelled'] as const);
  v.oneOf('trigger.kind', data.trigger?.kind, ['lead_status', 'event_type'] as const);
  v.integer('templateCount', data.templateCount, { min: 0, max: MAX_EXPANSION_TASKS });
  v.integer('created', data.created, { min: 0, max: MAX_EXPANSION_TASKS });
  v.integer('alreadyExisted', data.alreadyExisted, { min: 0, max: MAX_EXPANSION_TASKS });
  v.check(Array.isArray(data.taskIds) && data.taskIds.length <= MAX_EXPANSION_TASKS, 'taskIds', `must list at most ${MAX_EXPANSION_TASKS} tasks`);
  v.check(Array.isArray(data.warnings) && data.warnings.length <= MAX_EXPANSION_TASKS, 'warnings', `must list at most ${MAX_EXPANSION_TASKS} warnings`);
  const message = v.text('message', data.message, { required: true, max: LIMITS.reason });
  v.throwIfAny();
  if (state.finished) return [];
  return [
    {
      type: 'ExpansionFinished',
      data: {
        tenantId: metadata.tenantId,
        triggerEventId: data.triggerEventId,
        trigger: data.trigger,
        subjectId: data.subjectId,
        outcome: data.outcome,
        templateCount: data.templateCount,
        taskIds: [...data.taskIds],
        created: data.created,
        alreadyExisted: data.alreadyExisted,
        warnings: [...data.warnings],
        message,
        finishedBy: metadata.actorId,
        finishedAt: toInstantString(metadata.now),
      },
    },
  ];
}

export const expansionOutcomeDecider = defineDecider<ExpansionOutcomeState, ExpansionOutcomeCommand, ExpansionOutcomeEvent>({
  aggregate: 'expansion',
  schemaVersions: { ExpansionFinished: 1 },
  initialState: initialExpansionOutcomeState,
  evolve: evolveExpansionOutcome,
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordExpansionOutcome':
        return decideRecord(command, state);
      default:
        return assertNever(command.type, 'expansion outcome command');
    }
  },
});
