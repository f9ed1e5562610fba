import { Inject, Injectable } from '@nestjs/common';
import { type EventSourcedServiceOptions, SERVICE_OPTIONS, TEMPORAL } from '@projectflo/platform/service';
import { buildSearchAttributes, startOnce, type TemporalClientHandle, workflowId } from '@projectflo/platform/workflow';
import type { expandTriggerWorkflow } from './expansion.workflows';
import type { ExpansionInput } from './expansion.types';

export const EXPANSION_WORKFLOW_TYPE = 'expandTriggerWorkflow';

/** Search attributes and summaries are indexed in clear: an external producer's subject id goes there only if it looks like an id. */
function safeId(value: string): string | undefined {
  return /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}

/** The business-key workflow id of a trigger's expansion (ids only, no personal data). */
export function expansionWorkflowId(input: ExpansionInput): string {
  const { tenantId, trigger } = input;
  return trigger.kind === 'lead_status'
    ? workflowId('tasks', tenantId, 'lead-status', trigger.subjectId, trigger.triggerEventId)
    : workflowId('tasks', tenantId, 'event', trigger.triggerEventId);
}

/**
 * Starts the expansion of a trigger at most once (startOnce: a redelivered trigger finds the
 * execution by its id), on the service's task queue, findable by TenantId, LeadId/SubjectId and
 * TriggerType, with a one-line summary for the Web UI.
 */
@Injectable()
export class ExpansionStarter {
  constructor(
    @Inject(TEMPORAL) private readonly temporal: TemporalClientHandle,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
  ) {}

  async start(input: ExpansionInput): Promise<{ workflowId: string; started: boolean }> {
    const taskQueue = this.options.worker?.taskQueue;
    if (!taskQueue) throw new Error('the task-engine runs without a worker: no task queue to start expansions on');
    const { trigger, tenantId } = input;
    const id = expansionWorkflowId(input);
    const lead = trigger.kind === 'lead_status';
    const subjectId = safeId(trigger.subjectId);
    const { started } = await startOnce<typeof expandTriggerWorkflow>(this.temporal.client, EXPANSION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: id,
      // A failed or terminated expansion may run again when its trigger is redelivered (or an
      // operator replays it); a completed one never does. Its tasks are idempotent either way.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      args: [input],
      typedSearchAttributes: buildSearchAttributes({
        tenantId,
        ...(subjectId ? { subjectId } : {}),
        triggerType: trigger.kind,
        ...(lead && subjectId ? { leadId: subjectId } : {}),
      }),
      staticSummary: lead
        ? `Expand templates for lead status ${trigger.statusId} on lead ${trigger.subjectId}`
        : `Expand templates for event type ${trigger.eventTypeKey} (event ${trigger.triggerEventId})${subjectId ? ` on subject ${subjectId}` : ''}`,
    });
    return { workflowId: id, started };
  }
}
