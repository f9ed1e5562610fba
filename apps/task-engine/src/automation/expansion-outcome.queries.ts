import { Injectable } from '@nestjs/common';
import { tasksV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { type RequestContext, text, toTimestamp, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { type ExpansionFinished, expansionOutcomeDecider, LIMITS, type PlanWarning, TaskEngineStreams } from '@projectflo/task-engine/domain';
import { z } from 'zod';

const byTrigger = z.object({ triggerEventId: text(LIMITS.id, { required: true, pattern: /^\S+$/, patternDescription: 'must not contain whitespace' }) });

const OUTCOME_KIND: Readonly<Record<ExpansionFinished['data']['outcome'], tasksV1.ExpansionOutcomeKind>> = {
  completed: tasksV1.ExpansionOutcomeKind.EXPANSION_OUTCOME_KIND_COMPLETED,
  stopped: tasksV1.ExpansionOutcomeKind.EXPANSION_OUTCOME_KIND_STOPPED,
  cancelled: tasksV1.ExpansionOutcomeKind.EXPANSION_OUTCOME_KIND_CANCELLED,
};

function warningToProto(warning: PlanWarning): tasksV1.ExpansionPlanWarning {
  switch (warning.code) {
    case 'subject_date_missing':
      return { code: warning.code, templateKey: warning.templateKey, detail: warning.field };
    case 'unknown_dependency':
      return { code: warning.code, templateKey: warning.templateKey, detail: warning.dependsOn };
    case 'unknown_parent':
      return { code: warning.code, templateKey: warning.templateKey, detail: warning.parentKey };
    case 'lead_assignee_missing':
      return { code: warning.code, templateKey: warning.templateKey, detail: '' };
  }
}

export function expansionOutcomeToProto(finished: ExpansionFinished['data']): tasksV1.ExpansionOutcome {
  return {
    triggerEventId: finished.triggerEventId,
    subjectId: finished.subjectId,
    leadStatusId: finished.trigger.kind === 'lead_status' ? finished.trigger.statusId : '',
    eventType: finished.trigger.kind === 'event_type' ? finished.trigger.eventTypeKey : '',
    outcome: OUTCOME_KIND[finished.outcome],
    templateCount: finished.templateCount,
    taskIds: [...finished.taskIds],
    created: finished.created,
    alreadyExisted: finished.alreadyExisted,
    warnings: finished.warnings.map(warningToProto),
    message: finished.message,
    finishedAt: toTimestamp(finished.finishedAt),
  };
}

/**
 * GetExpansionOutcome: the trigger's `expansion-<triggerEventId>` stream, folded. The outcome is
 * recorded in the same activity that creates the last task, so a client that sees it knows every
 * task of the trigger exists; it reads the event store, not a read model another consumer feeds.
 */
@Injectable()
export class ExpansionOutcomeQueries {
  constructor(private readonly executor: CommandExecutor) {}

  async get(ctx: RequestContext, request: tasksV1.GetExpansionOutcomeRequest): Promise<tasksV1.GetExpansionOutcomeResponse> {
    const { triggerEventId } = validate(byTrigger, request);
    const { state } = await this.executor.load(expansionOutcomeDecider, TaskEngineStreams.expansion(triggerEventId), ctx.tenantId);
    if (!state.finished) throw DomainError.notFound('expansion outcome', triggerEventId);
    return { outcome: expansionOutcomeToProto(state.finished) };
  }
}
