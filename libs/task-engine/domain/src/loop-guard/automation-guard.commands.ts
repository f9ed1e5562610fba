import type { Command } from '@projectflo/platform/core';
import type { TemplateTrigger } from '../task-template/task-template.definition';
import type { LoopStopReason } from './loop-guard';

/** Issued by the expansion workflow when loopGuard says stop; stream `automation-guard-<tenantId>`. */
export type RecordAutomationLoopStopped = Command<
  'RecordAutomationLoopStopped',
  {
    readonly triggerEventId: string;
    readonly trigger: TemplateTrigger;
    readonly subjectId: string;
    readonly depth: number;
    readonly reason: LoopStopReason;
    readonly detail: string;
  }
>;

export type AutomationGuardCommand = RecordAutomationLoopStopped;
