import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import type { Tx } from '@projectflo/platform/messaging';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { MIKRO_ORM, type PendingWorkflowRequest, RecordedSignal, requestWorkflowId, type WorkflowRequestQueue } from '@projectflo/platform/service';
import { taskTimersWorkflowId } from './task-timers.starter';
import type { TaskTimersInput } from './task-timers.types';

/**
 * `timer_requests`, the TimerDispatcher's queue (platform/service RequestDispatcher): consumers
 * record in their transaction; due, done and postpone are short transactions in the cross-tenant
 * scope, nothing waits on the network inside one. It remembers the generation of each request it
 * handed out, and `done` deletes only that generation: a change recorded while its signal was on
 * the way stays to be signalled again.
 */
@Injectable()
export class TimerRequestsRepository implements WorkflowRequestQueue<TaskTimersInput> {
  private readonly generations = new Map<string, number>();
  private readonly recorded = new RecordedSignal();

  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  /**
   * Records, in the caller's (a consumer's) transaction, that a task's timers workflow must learn
   * of a change of its schedule; the TimerDispatcher signals it (or starts it) after the commit
   * (woken by it), never inside the transaction. One row per workflow: a second change before the
   * dispatcher got to the first bumps its generation, so a signal sent before the second change
   * was appended never counts for it.
   */
  async request(tx: Tx, input: TaskTimersInput, requestedAt: Date): Promise<void> {
    const workflowId = requestWorkflowId(() => taskTimersWorkflowId(input));
    await tx.query(
      `INSERT INTO timer_requests (workflow_id, tenant_id, task_id, requested_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (workflow_id) DO UPDATE SET generation = timer_requests.generation + 1, next_attempt_at = LEAST(timer_requests.next_attempt_at, EXCLUDED.next_attempt_at)`,
      [workflowId, input.tenantId, input.taskId, requestedAt],
    );
    this.recorded.notifyAfterCommit(tx);
  }

  onRecorded(listener: () => void): () => void {
    return this.recorded.onRecorded(listener);
  }

  async due(now: Date, limit: number): Promise<PendingWorkflowRequest<TaskTimersInput>[]> {
    const rows = await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query<{ workflow_id: string; tenant_id: string; task_id: string; generation: number; attempts: number }>(
        `SELECT workflow_id, tenant_id, task_id, generation, attempts FROM timer_requests WHERE next_attempt_at <= $1 ORDER BY requested_at, workflow_id LIMIT $2`,
        [now, limit],
      ),
    );
    return rows.map((r) => {
      this.generations.set(r.workflow_id, r.generation);
      return { workflowId: r.workflow_id, input: { tenantId: r.tenant_id, taskId: r.task_id }, attempts: r.attempts };
    });
  }

  async done(workflowId: string): Promise<void> {
    const generation = this.generations.get(workflowId);
    this.generations.delete(workflowId);
    if (generation === undefined) return;
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query('DELETE FROM timer_requests WHERE workflow_id = $1 AND generation = $2', [workflowId, generation]),
    );
  }

  async postpone(workflowId: string, nextAttemptAt: Date, error: string): Promise<void> {
    this.generations.delete(workflowId);
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query('UPDATE timer_requests SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE workflow_id = $1', [
        workflowId,
        nextAttemptAt,
        error.slice(0, 2_000),
      ]),
    );
  }
}
