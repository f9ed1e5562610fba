import type { EventStore } from '@projectflo/platform/core';

/**
 * An event store whose `readAll` waits at its first call until `release()`: a rebuild given it is
 * held before its first read (shadow tables made, no transaction open) while a test appends more.
 * `entered` resolves when the first read arrives.
 */
export function heldReadAll(store: Pick<EventStore, 'readAll'>): {
  readonly store: Pick<EventStore, 'readAll'>;
  readonly entered: Promise<void>;
  release(): void;
} {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    store: {
      async readAll(options) {
        enter();
        await released;
        return store.readAll(options);
      },
    },
    entered,
    release,
  };
}
