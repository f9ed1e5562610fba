import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MIKRO_ORM, WorkflowRequests } from '@projectflo/platform/service';
import { workflowId } from '@projectflo/platform/workflow';
import type { NotificationInput } from './notification.types';

/** The business workflow id of a notification: ids only (tenant and the id derived from rule, task and occurrence). */
export function notificationWorkflowId(input: Pick<NotificationInput, 'tenantId' | 'notificationId'>): string {
  return workflowId('notifications', input.tenantId, 'notify', input.notificationId);
}

/**
 * Notifications the trigger consumer recorded in its inbox transaction (`notification_requests`),
 * started by the NotificationDispatcher after the commit. The workflow id is the key, so a trigger
 * recorded twice is one request.
 */
@Injectable()
export class NotificationRequests extends WorkflowRequests<NotificationInput> {
  constructor(@Inject(MIKRO_ORM) orm: MikroORM) {
    super(orm, 'notification_requests');
  }
}
