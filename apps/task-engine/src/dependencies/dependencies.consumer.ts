import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { automationMetadata, type Clock, CLOCK, deriveId, isRejection } from '@projectflo/platform/core';
import { type EventEnvelope, PoisonMessageError } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { CommandExecutor, ConsumerFactory } from '@projectflo/platform/service';
import { TASK_ENGINE_TOPICS, TaskEngineStreams, taskDecider, type TaskArchived, type TaskCreated, type TaskEvent, type TaskStatusChanged } from '@projectflo/task-engine/domain';
import { taskEngineEventChecks } from '../shared/event-checks';
import { TASK_ENGINE_SERVICE } from '../shared/task-engine.constants';

/** The request id of one unblocking: one per (finishing event, dependent task), so redelivery is a no-op. */
export function unblockRequestId(finishEventId: string, dependentTaskId: string): string {
  return deriveId('unblock', finishEventId, dependentTaskId);
}

/**
 * Group `dependencies` on tasks.task.v1: when a task finishes (Completed, or Archived — it no
 * longer blocks), every task it blocks gets MarkBlockerCompleted. The group keeps its own tables
 * (blocker_links, finished_blockers) rather than reading the read model, and handles both orders:
 * a blocker that finishes before its dependent exists (a person completed it while the expansion
 * was still creating tasks) is found when the dependent's TaskCreated arrives. Both paths take a
 * per-blocker advisory lock, so two partitions processed at once cannot miss each other.
 */
@Injectable()
export class DependenciesConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers
      .events<TaskEvent>('dependencies', [TASK_ENGINE_TOPICS.task])
      .on('TaskCreated', (event, tx) => this.created(event, tx), taskEngineEventChecks('TaskCreated'))
      .on(
        'TaskStatusChanged',
        (event, tx) => (event.data.to === 'Completed' ? this.finished(event, tx) : Promise.resolve()),
        taskEngineEventChecks('TaskStatusChanged'),
      )
      .on('TaskArchived', (event, tx) => this.finished(event, tx), taskEngineEventChecks('TaskArchived'));
  }

  private async created(event: EventEnvelope<TaskCreated>, tx: OrmTx): Promise<void> {
    const { taskId, blockedBy, tenantId } = event.data;
    for (const blocker of [...blockedBy].sort()) {
      await lockBlocker(tx, blocker);
      await tx.query(
        `INSERT INTO blocker_links (blocker_task_id, dependent_task_id, tenant_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [blocker, taskId, tenantId],
      );
      const [done] = await tx.query<{ finish_event_id: string }>(`SELECT finish_event_id FROM finished_blockers WHERE task_id = $1 AND tenant_id = $2`, [
        blocker,
        tenantId,
      ]);
      if (done) await this.unblock(event, tenantId, blocker, taskId, done.finish_event_id);
    }
  }

  private async finished(event: EventEnvelope<TaskStatusChanged | TaskArchived>, tx: OrmTx): Promise<void> {
    const { taskId, tenantId } = event.data;
    await lockBlocker(tx, taskId);
    const inserted = await tx.query(
      `INSERT INTO finished_blockers (task_id, tenant_id, finish_event_id, finished_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (task_id) DO NOTHING RETURNING 1 AS inserted`,
      [taskId, tenantId, event.eventId, event.data.at],
    );
    // Archiving a completed task changes nothing for its dependents: they were unblocked already.
    if (inserted.length === 0) return;
    const dependents = await tx.query<{ dependent_task_id: string }>(
      `SELECT dependent_task_id FROM blocker_links WHERE blocker_task_id = $1 AND tenant_id = $2 ORDER BY dependent_task_id`,
      [taskId, tenantId],
    );
    for (const { dependent_task_id } of dependents) await this.unblock(event, tenantId, taskId, dependent_task_id, event.eventId);
  }

  /** A DomainError here (other than contention) cannot heal by retrying: dead-letter the cause instead of stalling the partition. */
  private async unblock(cause: EventEnvelope, tenantId: string, blockerTaskId: string, dependentTaskId: string, finishEventId: string): Promise<void> {
    try {
      await this.send(cause, tenantId, blockerTaskId, dependentTaskId, finishEventId);
    } catch (error) {
      if (isRejection(error)) {
        throw new PoisonMessageError('rejected-command', `MarkBlockerCompleted on task ${dependentTaskId} was rejected: ${error.message}`);
      }
      throw error;
    }
  }

  private async send(cause: EventEnvelope, tenantId: string, blockerTaskId: string, dependentTaskId: string, finishEventId: string): Promise<void> {
    await this.executor.run(
      taskDecider,
      TaskEngineStreams.task(dependentTaskId),
      { type: 'MarkBlockerCompleted', data: { taskId: dependentTaskId, blockerTaskId } },
      {
        metadata: automationMetadata({
          service: TASK_ENGINE_SERVICE,
          tenantId,
          requestId: unblockRequestId(finishEventId, dependentTaskId),
          now: this.clock.now(),
          cause: { correlationId: cause.metadata.correlationId, causationId: cause.eventId, automationDepth: cause.metadata.automationDepth ?? 0 },
        }),
      },
    );
  }
}

async function lockBlocker(tx: OrmTx, blockerTaskId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`task-engine.blocker.${blockerTaskId}`]);
}
