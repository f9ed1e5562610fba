import { Injectable } from '@nestjs/common';
import { LEDGER_TOPICS } from '@projectflo/build-ledger/domain';
import { contractChecks, ledgerBuildLedgerEventsV1 } from '@projectflo/contracts';
import { projectEvent } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { ledgerProjection } from './ledger.projection';

/** The consumer purpose (group `<schema>.ledger-read-model`) that feeds the ledger's read model. */
export const LEDGER_READ_MODEL_PURPOSE = 'ledger-read-model';

/**
 * Feeds the ledger read model from ledger.build-ledger.v1. Each event is applied in the transaction
 * that claims it in the inbox (a redelivery changes nothing), after its schema version and
 * published contract (balanced journal entry included) are checked.
 */
@Injectable()
export class LedgerReadModelConsumer {
  constructor(consumers: ConsumerFactory) {
    const consumer = consumers.events(LEDGER_READ_MODEL_PURPOSE, Object.values(LEDGER_TOPICS), { readModel: true });
    for (const type of ledgerProjection.handles) {
      consumer.on(
        type,
        async (event, tx) => {
          await projectEvent(tx, ledgerProjection, event);
        },
        contractChecks(ledgerBuildLedgerEventsV1.ledgerBuildLedgerEventContractsV1, type),
      );
    }
  }
}
