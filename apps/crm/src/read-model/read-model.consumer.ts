import { Injectable } from '@nestjs/common';
import { crmTopics } from '@projectflo/crm/domain';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { crmProjections, crmReadModelChecks } from './crm-read-model';

/**
 * Feeds the crm read model from crm's own topics (group `<schema>.read-model`). Each event is
 * applied in the transaction that claims it in the inbox, so redelivery changes nothing; its
 * schema version and published contract are checked first (crmReadModelChecks).
 */
@Injectable()
export class ReadModelConsumer {
  constructor(consumers: ConsumerFactory) {
    const consumer = consumers.events('read-model', Object.values(crmTopics), { readModel: true });
    for (const projection of crmProjections) {
      for (const type of projection.handles) {
        consumer.on(
          type,
          async (event, tx) => {
            await projectEvent(tx, projection, event);
          },
          crmReadModelChecks(type),
        );
      }
    }
  }
}
