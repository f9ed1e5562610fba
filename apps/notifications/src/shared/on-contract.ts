import { contractChecks, type EventContracts } from '@projectflo/contracts';
import type { DomainEvent } from '@projectflo/platform/core';
import type { EventConsumer, EventEnvelope } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import type { z } from 'zod';

/**
 * Registers the handler of one published event type of another context: its schema version and
 * payload are checked against the contract first (a mismatch is dead-lettered), and the handler
 * gets the payload typed by that contract.
 */
export function onContract<C extends EventContracts, K extends keyof C & string>(
  consumer: EventConsumer<DomainEvent, OrmTx>,
  contracts: C,
  type: K,
  handler: (data: z.output<C[K]['schema']>, event: EventEnvelope, tx: OrmTx) => Promise<unknown>,
): void {
  consumer.on(
    type,
    async (event, tx) => {
      await handler(event.data as z.output<C[K]['schema']>, event, tx);
    },
    contractChecks(contracts, type),
  );
}
