import type { DomainEvent } from '@projectflo/platform/core';
import type { TemplateTrigger } from '../task-template/task-template.definition';
import type { LoopStopReason } from './loop-guard';

/** An expansion that the loop guard refused; operations read these per tenant. */
export type AutomationLoopStopped = DomainEvent<
  'AutomationLoopStopped',
  {
    readonly tenantId: string;
    readonly triggerEventId: string;
    readonly trigger: TemplateTrigger;
    readonly subjectId: string;
    readonly depth: number;
    readonly reason: LoopStopReason;
    readonly detail: string;
    readonly stoppedBy: string;
    readonly stoppedAt: string;
  }
>;

export type AutomationGuardEvent = AutomationLoopStopped;
