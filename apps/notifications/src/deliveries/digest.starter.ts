import { Inject, Injectable } from '@nestjs/common';
import { type EventSourcedServiceOptions, SERVICE_OPTIONS, TEMPORAL } from '@projectflo/platform/service';
import { buildSearchAttributes, type TemporalClientHandle, workflowId } from '@projectflo/platform/workflow';
import type { digestWorkflow } from './delivery.workflows';
import { DIGEST_ITEM_SIGNAL, DIGEST_WORKFLOW_TYPE, type DigestInput, type DigestItem } from './notification.types';

/** A digest's workflow id: its delivery id (rule, recipient, window) under the tenant. */
export function digestWorkflowId(digest: Pick<DigestInput, 'input' | 'recipient'>): string {
  return workflowId('notifications', digest.input.tenantId, 'digest', digest.recipient.deliveryId);
}

/**
 * Adds a task to a digest: signalWithStart, so the first item starts the window's workflow and
 * every later one joins it (the workflow drops an item it already has). A signal that arrives after
 * the digest went out starts a run that finds its delivery done and sends nothing (its Delivery
 * stream is final): a trigger processed later than the window's end plus the grace is not listed.
 */
@Injectable()
export class DigestStarter {
  constructor(
    @Inject(TEMPORAL) private readonly temporal: TemporalClientHandle,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
  ) {}

  async add(digest: DigestInput, item: DigestItem): Promise<void> {
    const taskQueue = this.options.worker?.taskQueue;
    if (!taskQueue) throw new Error('notifications runs without a worker: no task queue for digests');
    await this.temporal.client.workflow.signalWithStart<typeof digestWorkflow, [DigestItem]>(DIGEST_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: digestWorkflowId(digest),
      args: [digest],
      signal: DIGEST_ITEM_SIGNAL,
      signalArgs: [item],
      typedSearchAttributes: buildSearchAttributes({ tenantId: digest.input.tenantId, triggerType: digest.input.trigger }),
      staticSummary: `Digest of rule ${digest.input.rule.ruleId} for user ${digest.recipient.userId}, window ${digest.windowStart}..${digest.windowEnd}`,
    });
  }
}
