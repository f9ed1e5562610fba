import { Injectable } from '@nestjs/common';
import { contractChecks, notificationsDeliveryEventsV1 } from '@projectflo/contracts';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { deliveryLogProjection } from './delivery-log.projection';

/** Group `delivery-log` on notifications.delivery.v1: feeds the delivery log, each event in the transaction that claims it in the inbox. */
@Injectable()
export class DeliveryLogConsumer {
  constructor(consumers: ConsumerFactory) {
    const consumer = consumers.events('delivery-log', [notificationsDeliveryEventsV1.NOTIFICATIONS_DELIVERY_TOPIC_V1], { readModel: true });
    for (const type of deliveryLogProjection.handles) {
      consumer.on(
        type,
        async (event, tx) => {
          await projectEvent(tx, deliveryLogProjection, event);
        },
        contractChecks(notificationsDeliveryEventsV1.notificationsDeliveryEventContractsV1, type),
      );
    }
  }
}
