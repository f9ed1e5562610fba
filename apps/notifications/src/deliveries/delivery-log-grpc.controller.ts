import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notificationDeliveriesV1, notificationsV1 } from '@projectflo/contracts';
import { queryContext } from '@projectflo/platform/grpc';
import { DeliveryLogQueries } from './delivery-log.queries';

/** The delivery-log RPCs of NotificationsService (one controller per feature, see NotificationRulesGrpcController). */
@Controller()
export class DeliveryLogGrpcController implements Pick<notificationsV1.NotificationsServiceController, 'getDeliveryLog' | 'listDeliveries'> {
  constructor(private readonly log: DeliveryLogQueries) {}

  @GrpcMethod('NotificationsService', 'getDeliveryLog')
  getDeliveryLog(request: notificationDeliveriesV1.GetDeliveryLogRequest, metadata?: Metadata) {
    return this.log.get(queryContext(metadata), request);
  }

  @GrpcMethod('NotificationsService', 'listDeliveries')
  listDeliveries(request: notificationDeliveriesV1.ListDeliveriesRequest, metadata?: Metadata) {
    return this.log.list(queryContext(metadata), request);
  }
}
