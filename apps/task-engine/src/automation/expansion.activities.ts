import type { MikroORM } from '@mikro-orm/postgresql';
import { type Clock, deriveId, DomainError, VersionConflictError } from '@projectflo/platform/core';
import { OrmUnitOfWork, withTenantScope } from '@projectflo/platform/persistence';
import type { CommandExecutor } from '@projectflo/platform/service';
import {
  automationGuardDecider,
  loopGuard,
  planExpansion,
  TaskEngineStreams,
  taskDecider,
  type TaskTemplateDefinition,
  type TemplateVersion,
} from '@projectflo/task-engine/domain';
import { ApplicationFailure } from '@temporalio/common';
import { businessCalendarDecider, businessCalendarStream, calendarOf } from '../business-calendar/business-calendar.decider';
import { triggerValue } from '../shared/proto-mapping';
import { SCHEMA_VERSIONS, SYSTEM_ACTOR } from '../shared/task-engine.constants';
import type { CreateTaskInput, CreateTaskOutcome, ExpansionActivities, ExpansionInput, PlanOutcome } from './expansion.types';

export interface ExpansionActivityDeps {
  readonly executor: CommandExecutor;
  readonly orm: MikroORM;
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
async function permanentOnDomainError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DomainError && !(error instanceof VersionConflictError)) {
      throw ApplicationFailure.create({ type: 'DomainError', message: error.message, nonRetryable: true, details: [error.code, error.fieldViolations] });
    }
    throw error;
  }
}

interface TemplateRow extends Record<string, unknown> {
  template_id: string;
  current_version: number;
  definition: TaskTemplateDefinition;
}

export function createExpansionActivities(deps: ExpansionActivityDeps): ExpansionActivities {
  const { executor, orm, clock } = deps;

  /** Automated (depth ≥ 1) triggers admitted for the tenant in the last minute, other than this one; records this one. */
  async function recentAutomatedTriggers(input: ExpansionInput): Promise<number> {
    if (input.automationDepth < 1) return 0;
    const now = clock.now();
    return new OrmUnitOfWork(orm).transactional(async (tx) => {
      const [row] = await tx.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM automation_triggers WHERE tenant_id = $1 AND recorded_at > $2 AND trigger_event_id <> $3`,
        [input.tenantId, new Date(now.getTime() - 60_000), input.trigger.triggerEventId],
      );
      return Number(row?.n ?? 0);
    });
  }

  async function admit(input: ExpansionInput): Promise<void> {
    if (input.automationDepth < 1) return;
    await new OrmUnitOfWork(orm).transactional((tx) =>
      tx.query(
        `INSERT INTO automation_triggers (trigger_event_id, tenant_id, depth, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [input.trigger.triggerEventId, input.tenantId, input.automationDepth, clock.now()],
      ),
    );
  }

  return {
    planExpansion: (input) =>
      permanentOnDomainError(async (): Promise<PlanOutcome> => {
        const { tenantId, trigger } = input;
        const decision = loopGuard({ automationDepth: input.automationDepth, recentTriggersForTenant: await recentAutomatedTriggers(input) });
        if (decision.kind === 'stop') {
          await executor.execute(
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
              metadata: {
                tenantId,
                actorId: SYSTEM_ACTOR,
                requestId: deriveId('loop-guard', tenantId, trigger.triggerEventId),
                now: clock.now(),
                correlationId: trigger.triggerEventId,
                causationId: trigger.triggerEventId,
                automationDepth: input.automationDepth,
              },
            },
            { aggregate: 'automation guard', schemaVersions: SCHEMA_VERSIONS },
          );
          return { kind: 'stopped', reason: decision.reason, detail: decision.detail };
        }
        await admit(input);

        const rows = await withTenantScope(orm, tenantId, (tx) =>
          tx.query<TemplateRow>(
            `SELECT template_id, current_version, definition FROM task_templates
              WHERE trigger_kind = $1 AND trigger_value = $2 AND NOT retired ORDER BY key`,
            [trigger.kind, triggerValue(trigger)],
          ),
        );
        const templates: TemplateVersion[] = rows.map((r) => ({ templateId: r.template_id, version: r.current_version, definition: r.definition }));
        const calendar = calendarOf((await executor.load(businessCalendarDecider, businessCalendarStream(tenantId), tenantId)).state);
        const plan = planExpansion({ tenantId, trigger, templates, calendar });
        return { kind: 'planned', templateCount: templates.length, tasks: plan.tasks, warnings: plan.warnings };
      }),

    createTask: (input: CreateTaskInput) =>
      permanentOnDomainError(async (): Promise<CreateTaskOutcome> => {
        const { task, tenantId } = input;
        const result = await executor.execute(
          taskDecider,
          TaskEngineStreams.task(task.taskId),
          {
            type: 'CreateTask',
            data: task,
            metadata: {
              tenantId,
              actorId: SYSTEM_ACTOR,
              requestId: expansionRequestId(task.source.triggerEventId, task.source.templateId),
              now: clock.now(),
              correlationId: task.source.triggerEventId,
              causationId: task.source.triggerEventId,
              automationDepth: input.automationDepth + 1,
            },
          },
          { aggregate: 'task', schemaVersions: SCHEMA_VERSIONS },
        );
        return { taskId: task.taskId, created: !result.duplicate && result.events.length > 0 };
      }),
  };
}
