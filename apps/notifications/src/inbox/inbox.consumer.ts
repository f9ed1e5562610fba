import { Injectable } from '@nestjs/common';
import { contractChecks, notificationsInboxEventsV1 } from '@projectflo/contracts';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { inboxProjection } from './inbox.projection';

/** Group `inbox` on notifications.inbox.v1: feeds inbox_items, each event in the transaction that claims it in the inbox. */
@Injectable()
export class InboxConsumer {
  constructor(consumers: ConsumerFactory) {
    const consumer = consumers.events('inbox', [notificationsInboxEventsV1.NOTIFICATIONS_INBOX_TOPIC_V1], { readModel: true });
    for (const type of inboxProjection.handles) {
      consumer.on(
        type,
        async (event, tx) => {
          await projectEvent(tx, inboxProjection, event);
        },
        contractChecks(notificationsInboxEventsV1.notificationsInboxEventContractsV1, type),
      );
    }
  }
}
