import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notificationRulesV1, notificationsV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { NotificationRuleCommands } from './rules.commands';

const SERVICE = 'NotificationsService';

/**
 * The rule RPCs of NotificationsService: each its context plus one call. The service's RPCs are
 * served by one controller per feature (rules, deliveries, inbox, ...), each naming its methods,
 * so features of one service are added side by side.
 */
@Controller()
export class NotificationRulesGrpcController
  implements Pick<notificationsV1.NotificationsServiceController, 'defineNotificationRule' | 'changeNotificationRule' | 'removeNotificationRule' | 'listNotificationRules'>
{
  constructor(private readonly rules: NotificationRuleCommands) {}

  @GrpcMethod(SERVICE, 'defineNotificationRule')
  defineNotificationRule(request: notificationRulesV1.DefineNotificationRuleRequest, metadata?: Metadata) {
    return this.rules.define(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'changeNotificationRule')
  changeNotificationRule(request: notificationRulesV1.ChangeNotificationRuleRequest, metadata?: Metadata) {
    return this.rules.change(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'removeNotificationRule')
  removeNotificationRule(request: notificationRulesV1.RemoveNotificationRuleRequest, metadata?: Metadata) {
    return this.rules.remove(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'listNotificationRules')
  listNotificationRules(_request: notificationRulesV1.ListNotificationRulesRequest, metadata?: Metadata) {
    return this.rules.list(queryContext(metadata));
  }
}
