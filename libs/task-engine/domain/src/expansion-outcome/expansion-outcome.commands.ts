import type { Command } from '@projectflo/platform/core';
import type { PlanWarning } from '../expansion/expansion.planner';
import type { TemplateTrigger } from '../task-template/task-template.definition';
import type { ExpansionOutcomeKind } from './expansion-outcome.events';

/** Issued by the expansion's activities when it ends; stream `expansion-<triggerEventId>`. */
export type RecordExpansionOutcome = Command<
  'RecordExpansionOutcome',
  {
    readonly triggerEventId: string;
    readonly trigger: TemplateTrigger;
    readonly subjectId: string;
    readonly outcome: ExpansionOutcomeKind;
    readonly templateCount: number;
    readonly taskIds: readonly string[];
    readonly created: number;
    readonly alreadyExisted: number;
    readonly warnings: readonly PlanWarning[];
    readonly message: string;
  }
>;

export type ExpansionOutcomeCommand = RecordExpansionOutcome;
