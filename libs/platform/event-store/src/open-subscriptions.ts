import type { Subscription } from '@projectflo/platform/core';

/**
 * The subscriptions a store has handed out and not yet seen closed: closing one forgets it, and the
 * store's own `close()` closes whatever is still open.
 */
export class OpenSubscriptions<S extends Subscription> implements Iterable<S> {
  private readonly open = new Set<S>();

  /** Keeps the subscription until it is closed; returns the handle `subscribeToAll` hands out. */
  track(subscription: S): Subscription {
    this.open.add(subscription);
    return {
      close: async () => {
        this.open.delete(subscription);
        await subscription.close();
      },
    };
  }

  [Symbol.iterator](): Iterator<S> {
    return this.open.values();
  }

  async closeAll(): Promise<void> {
    const open = [...this.open];
    this.open.clear();
    await Promise.all(open.map((s) => s.close()));
  }
}
