import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type EventSourcedServiceOptions, MIKRO_ORM, SERVICE_OPTIONS, TEMPORAL, WorkflowRequests } from '@projectflo/platform/service';
import { buildSearchAttributes, startOnce, type TemporalClientHandle, workflowId } from '@projectflo/platform/workflow';
import type { BuildExpansionInput } from './build-expansion.types';
import type { expandBuildWorkflow } from './build-expansion.workflows';

export const BUILD_EXPANSION_WORKFLOW_TYPE = 'expandBuildWorkflow';
/** The TriggerType search attribute of a build's expansion. */
export const BUILD_BOOKED_TRIGGER_TYPE = 'build_booked';

/** The business-key workflow id of a booking's expansion: once per (tenant, build, version). */
export function buildExpansionWorkflowId(tenantId: string, buildId: string, version: number): string {
  return workflowId('tasks', tenantId, 'build', buildId, `v${version}`);
}

/**
 * Expansions the BuildBooked consumer recorded in its inbox transaction (`build_expansion_requests`),
 * started by the BuildExpansionDispatcher after the commit. The workflow id is the key: a booking
 * recorded twice is one request.
 */
@Injectable()
export class BuildExpansionRequests extends WorkflowRequests<BuildExpansionInput> {
  constructor(@Inject(MIKRO_ORM) orm: MikroORM) {
    super(orm, 'build_expansion_requests');
  }
}

/**
 * Starts a booking's expansion at most once (startOnce by its business id), findable by TenantId,
 * SubjectId (the build) and TriggerType `build_booked`, with a one-line summary for the Web UI.
 */
@Injectable()
export class BuildExpansionStarter {
  constructor(
    @Inject(TEMPORAL) private readonly temporal: TemporalClientHandle,
    @Inject(SERVICE_OPTIONS) private readonly options: EventSourcedServiceOptions,
  ) {}

  async start(input: BuildExpansionInput): Promise<{ workflowId: string; started: boolean }> {
    const taskQueue = this.options.worker?.taskQueue;
    if (!taskQueue) throw new Error('the task-engine runs without a worker: no task queue to start expansions on');
    const { tenantId, build } = input;
    const id = buildExpansionWorkflowId(tenantId, build.buildId, build.version);
    const { started } = await startOnce<typeof expandBuildWorkflow>(this.temporal.client, BUILD_EXPANSION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: id,
      // As every expansion: a failed one may run again on redelivery, a completed one never.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      args: [input],
      typedSearchAttributes: buildSearchAttributes({ tenantId, subjectId: build.buildId, triggerType: BUILD_BOOKED_TRIGGER_TYPE }),
      staticSummary: `Expand component recipes of build ${build.buildId} v${build.version} (${input.matches.length} of its components)`,
    });
    return { workflowId: id, started };
  }
}
