import { automationMetadata, type Clock, deriveId, isRejection } from '@projectflo/platform/core';
import type { CommandExecutor } from '@projectflo/platform/service';
import {
  automationGuardDecider,
  expansionOutcomeDecider,
  type ExpansionOutcomeKind,
  type PlanWarning,
  businessCalendarDecider,
  calendarOf,
  loopGuard,
  planExpansion,
  TaskEngineStreams,
  taskDecider,
} from '@projectflo/task-engine/domain';
import { ApplicationFailure } from '@temporalio/common';
import { TASK_ENGINE_SERVICE } from '../shared/task-engine.constants';
import type { TemplateQueries } from '../templates/templates.queries';
import type { AutomationTriggersRepository } from './automation-triggers.repository';
import type { CreateTaskInput, CreateTaskOutcome, CreateTasksInput, ExpansionActivities, ExpansionInput, PlanOutcome } from './expansion.types';
import { expansionMessage } from './expansion.summary';

export interface ExpansionActivityDeps {
  readonly executor: CommandExecutor;
  readonly templates: Pick<TemplateQueries, 'activeVersionsForTrigger'>;
  readonly automationTriggers: Pick<AutomationTriggersRepository, 'countRecent' | 'record'>;
  readonly clock: Clock;
}

/** The request id of one planned task's CreateTask: a retried activity or a redelivered trigger is a duplicate. */
export function expansionRequestId(triggerEventId: string, templateId: string): string {
  return deriveId('expansion', triggerEventId, templateId);
}

/**
 * A DomainError (invalid templates, a stream of another tenant) cannot succeed on retry: it fails
 * the activity for good, and the workflow with it, visibly. A version conflict is contention and
 * is retried like any other error.
 */
export async function permanentOnDomainError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isRejection(error)) {
      throw ApplicationFailure.create({ type: 'DomainError', message: error.message, nonRetryable: true, details: [error.code, error.fieldViolations] });
    }
    throw error;
  }
}

export function createExpansionActivities(deps: ExpansionActivityDeps): ExpansionActivities {
  const { executor, templates: templateQueries, automationTriggers, clock } = deps;

  /** Automated (depth ≥ 1) triggers admitted for the tenant in the last minute, other than this one. */
  async function recentAutomatedTriggers(input: ExpansionInput): Promise<number> {
    if (input.automationDepth < 1) return 0;
    const now = clock.now();
    return automationTriggers.countRecent(input.tenantId, new Date(now.getTime() - 60_000), input.trigger.triggerEventId);
  }

  async function admit(input: ExpansionInput): Promise<void> {
    if (input.automationDepth < 1) return;
    await automationTriggers.record({
      triggerEventId: input.trigger.triggerEventId,
      tenantId: input.tenantId,
      depth: input.automationDepth,
      recordedAt: clock.now(),
    });
  }

  /** ExpansionFinished on `expansion-<triggerEventId>`, once per trigger (a retry records nothing new). */
  async function recordOutcome(
    input: ExpansionInput,
    outcome: { kind: ExpansionOutcomeKind; templateCount: number; taskIds: readonly string[]; created: number; alreadyExisted: number; warnings: readonly PlanWarning[]; message: string },
  ): Promise<void> {
    const { tenantId, trigger } = input;
    await executor.run(
      expansionOutcomeDecider,
      TaskEngineStreams.expansion(trigger.triggerEventId),
      {
        type: 'RecordExpansionOutcome',
        data: {
          triggerEventId: trigger.triggerEventId,
          trigger: trigger.kind === 'lead_status' ? { kind: 'lead_status', statusId: trigger.statusId } : { kind: 'event_type', eventTypeKey: trigger.eventTypeKey },
          subjectId: trigger.subjectId,
          outcome: outcome.kind,
          templateCount: outcome.templateCount,
          taskIds: outcome.taskIds,
          created: outcome.created,
          alreadyExisted: outcome.alreadyExisted,
          warnings: outcome.warnings,
          message: outcome.message,
        },
      },
      {
        metadata: automationMetadata({
          service: TASK_ENGINE_SERVICE,
          tenantId,
          requestId: deriveId('expansion-outcome', tenantId, trigger.triggerEventId),
          now: clock.now(),
          cause: { correlationId: trigger.triggerEventId, causationId: trigger.triggerEventId, automationDepth: input.automationDepth },
        }),
      },
    );
  }

  const createTask = (input: CreateTaskInput): Promise<CreateTaskOutcome> =>
    permanentOnDomainError(async (): Promise<CreateTaskOutcome> => {
      const { task, tenantId } = input;
      const result = await executor.run(
        taskDecider,
        TaskEngineStreams.task(task.taskId),
        { type: 'CreateTask', data: task },
        {
          metadata: automationMetadata({
            service: TASK_ENGINE_SERVICE,
            tenantId,
            requestId: expansionRequestId(task.source.triggerEventId, task.source.templateId),
            now: clock.now(),
            cause: { correlationId: task.source.triggerEventId, causationId: task.source.triggerEventId, automationDepth: input.automationDepth + 1 },
          }),
        },
      );
      return { taskId: task.taskId, created: !result.duplicate && result.events.length > 0 };
    });

  return {
    planExpansion: (input) =>
      permanentOnDomainError(async (): Promise<PlanOutcome> => {
        const { tenantId, trigger } = input;
        const decision = loopGuard({ automationDepth: input.automationDepth, recentTriggersForTenant: await recentAutomatedTriggers(input) });
        if (decision.kind === 'stop') {
          await executor.run(
            automationGuardDecider,
            TaskEngineStreams.automationGuard(tenantId),
            {
              type: 'RecordAutomationLoopStopped',
              data: {
                triggerEventId: trigger.triggerEventId,
                trigger: trigger.kind === 'lead_status' ? { kind: 'lead_status', statusId: trigger.statusId } : { kind: 'event_type', eventTypeKey: trigger.eventTypeKey },
                subjectId: trigger.subjectId,
                depth: input.automationDepth,
                reason: decision.reason,
                detail: decision.detail,
              },
            },
            {
              metadata: automationMetadata({
                service: TASK_ENGINE_SERVICE,
                tenantId,
                requestId: deriveId('loop-guard', tenantId, trigger.triggerEventId),
                now: clock.now(),
                cause: { correlationId: trigger.triggerEventId, causationId: trigger.triggerEventId, automationDepth: input.automationDepth },
              }),
            },
          );
          const message = `stopped by the loop guard (${decision.reason}): ${decision.detail}`;
          await recordOutcome(input, { kind: 'stopped', templateCount: 0, taskIds: [], created: 0, alreadyExisted: 0, warnings: [], message });
          return { kind: 'stopped', reason: decision.reason, detail: decision.detail };
        }
        await admit(input);

        const templates = await templateQueries.activeVersionsForTrigger(tenantId, trigger);
        const calendar = calendarOf((await executor.load(businessCalendarDecider, TaskEngineStreams.businessCalendar(tenantId), tenantId)).state);
        const plan = planExpansion({ tenantId, trigger, templates, calendar });
        return { kind: 'planned', templateCount: templates.length, tasks: plan.tasks, warnings: plan.warnings };
      }),

    createTask,
    // Each task is its own stream and its own idempotent command: creating them together changes
    // nothing but the wall time. A failure fails the activity; its retry finds the created ones done.
    createTasks: (input: CreateTasksInput) =>
      permanentOnDomainError(async () => {
        const outcomes = await Promise.all(input.tasks.map((task) => createTask({ tenantId: input.tenantId, automationDepth: input.automationDepth, task })));
        if (input.expansion) {
          const created = outcomes.filter((o) => o.created).length;
          const warnings = input.warnings ?? [];
          await recordOutcome(input.expansion, {
            kind: 'completed',
            templateCount: input.templateCount ?? input.tasks.length,
            taskIds: outcomes.map((o) => o.taskId),
            created,
            alreadyExisted: outcomes.length - created,
            warnings,
            message: expansionMessage(false, outcomes.length, input.tasks.length, created, outcomes.length - created, warnings.length),
          });
        }
        return outcomes;
      }),
    recordOutcome: (input) =>
      permanentOnDomainError(() =>
        recordOutcome(input.expansion, {
          kind: input.outcome,
          templateCount: input.templateCount,
          taskIds: [],
          created: 0,
          alreadyExisted: 0,
          warnings: input.warnings,
          message: expansionMessage(true, 0, input.templateCount, 0, 0, input.warnings.length),
        }),
      ),
  };
}
