import type { DomainEvent } from '@projectflo/platform/core';
import type { PlanWarning } from '../expansion/expansion.planner';
import type { TemplateTrigger } from '../task-template/task-template.definition';

/** How an expansion ended: every planned task exists, the loop guard stopped it, or an operator cancelled it before its tasks. */
export type ExpansionOutcomeKind = 'completed' | 'stopped' | 'cancelled';

/**
 * An expansion of one trigger finished (once per trigger event: stream `expansion-<triggerEventId>`).
 * Downstream consumers and clients learn here that the tasks of a trigger are all there.
 */
export type ExpansionFinished = DomainEvent<
  'ExpansionFinished',
  {
    readonly tenantId: string;
    readonly triggerEventId: string;
    readonly trigger: TemplateTrigger;
    readonly subjectId: string;
    readonly outcome: ExpansionOutcomeKind;
    /** Active templates found for the trigger (0 when stopped before planning). */
    readonly templateCount: number;
    /** Every task of the expansion, in plan order (those created now and those that already existed). */
    readonly taskIds: readonly string[];
    readonly created: number;
    readonly alreadyExisted: number;
    readonly warnings: readonly PlanWarning[];
    /** One line for people: "expanded 5 of 5 tasks (5 created, 0 already existed, 0 warnings)". */
    readonly message: string;
    readonly finishedBy: string;
    readonly finishedAt: string;
  }
>;

export type ExpansionOutcomeEvent = ExpansionFinished;
