import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CROSS_TENANT } from '@projectflo/platform/event-store';
import type { Tx } from '@projectflo/platform/messaging';
import { OrmUnitOfWork } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';
import { workflowId } from '@projectflo/platform/workflow';
import type { NotificationInput } from './notification.types';

export interface PendingNotification {
  readonly workflowId: string;
  readonly input: NotificationInput;
  readonly attempts: number;
}

/** The business workflow id of a notification: ids only (tenant and the id derived from rule, task and occurrence). */
export function notificationWorkflowId(input: Pick<NotificationInput, 'tenantId' | 'notificationId'>): string {
  return workflowId('notifications', input.tenantId, 'notify', input.notificationId);
}

/**
 * Records a notification to start in the trigger consumer's transaction (the inbox claim and the
 * request commit together); the dispatcher starts its workflow after the commit. The workflow id
 * is the key, so a trigger recorded twice is one request.
 */
export async function requestNotification(tx: Tx, input: NotificationInput, requestedAt: Date): Promise<void> {
  await tx.query(
    `INSERT INTO notification_requests (workflow_id, tenant_id, input, requested_at, next_attempt_at) VALUES ($1, $2, $3::jsonb, $4, $4)
     ON CONFLICT (workflow_id) DO NOTHING`,
    [notificationWorkflowId(input), input.tenantId, JSON.stringify(input), requestedAt],
  );
}

/** The dispatcher's side of `notification_requests`: short cross-tenant transactions, none open across a network call. */
@Injectable()
export class NotificationRequestsRepository {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  async due(now: Date, limit: number): Promise<PendingNotification[]> {
    const rows = await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query<{ workflow_id: string; input: NotificationInput; attempts: number }>(
        'SELECT workflow_id, input, attempts FROM notification_requests WHERE next_attempt_at <= $1 ORDER BY requested_at, workflow_id LIMIT $2',
        [now, limit],
      ),
    );
    return rows.map((r) => ({ workflowId: r.workflow_id, input: r.input, attempts: r.attempts }));
  }

  async started(workflowId: string): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) => tx.query('DELETE FROM notification_requests WHERE workflow_id = $1', [workflowId]));
  }

  async postpone(workflowId: string, nextAttemptAt: Date, error: string): Promise<void> {
    await new OrmUnitOfWork(this.orm, CROSS_TENANT).transactional((tx) =>
      tx.query('UPDATE notification_requests SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE workflow_id = $1', [workflowId, nextAttemptAt, error.slice(0, 2_000)]),
    );
  }
}
