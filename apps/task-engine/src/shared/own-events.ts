import type { DomainEvent, EventStore } from '@projectflo/platform/core';
import type { EventEnvelope, EventHandler, MessageContext } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';

/**
 * Whether an event read from one of the service's own topics was recorded by THIS instance's
 * event store. Isolated instances (test runs with their own DB_SCHEMA) publish to the same topics
 * as the running platform; without this check each would project, unblock and expand the other's
 * tasks (and retry forever on streams it does not have). Reads the stream through the port, so it
 * holds for either event store adapter.
 */
export async function isOwnEvent(store: EventStore, event: EventEnvelope): Promise<boolean> {
  const { events } = await store.readStream(event.streamName);
  return events[event.streamPosition - 1]?.eventId === event.eventId;
}

/** Wraps a handler of an own-topic consumer so that events of other instances are skipped. */
export function ownEventsOnly<E extends DomainEvent>(store: EventStore, handler: EventHandler<E, OrmTx>): EventHandler<E, OrmTx> {
  return async (event: EventEnvelope<E>, tx: OrmTx, context: MessageContext) => {
    if (await isOwnEvent(store, event)) await handler(event, tx, context);
  };
}
