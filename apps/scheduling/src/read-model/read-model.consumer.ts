import { Injectable } from '@nestjs/common';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { SCHEDULING_TOPIC_MAP } from '@projectflo/scheduling/domain';
import { schedulingProjections, schedulingReadModelChecks } from './scheduling-read-model';

/**
 * Feeds the scheduling read model from scheduling's own topics (group `<schema>.read-model`). Each
 * event is applied in the transaction that claims it in the inbox, so redelivery changes nothing;
 * its schema version and published contract are checked first.
 */
@Injectable()
export class ReadModelConsumer {
  constructor(consumers: ConsumerFactory) {
    const consumer = consumers.events('read-model', Object.values(SCHEDULING_TOPIC_MAP), { readModel: true });
    for (const projection of schedulingProjections) {
      for (const type of projection.handles) {
        consumer.on(
          type,
          async (event, tx) => {
            await projectEvent(tx, projection, event);
          },
          schedulingReadModelChecks(type),
        );
      }
    }
  }
}
