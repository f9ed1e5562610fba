import { Injectable } from '@nestjs/common';
import { BUILD_TOPICS } from '@projectflo/build-ledger/domain';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { buildReadModelChecks, buildReadModelProjections } from './build-ledger-read-model';

/**
 * Feeds the catalog and builds read model from their own topics (group `<schema>.read-model`).
 * Each event is applied in the transaction that claims it in the inbox, so redelivery changes
 * nothing; its schema version and published contract are checked first.
 */
@Injectable()
export class BuildReadModelConsumer {
  constructor(consumers: ConsumerFactory) {
    const consumer = consumers.events('read-model', Object.values(BUILD_TOPICS), { readModel: true });
    for (const projection of buildReadModelProjections) {
      for (const type of projection.handles) {
        consumer.on(
          type,
          async (event, tx) => {
            await projectEvent(tx, projection, event);
          },
          buildReadModelChecks(type),
        );
      }
    }
  }
}
