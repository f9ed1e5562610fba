import {
  DomainError,
  DomainErrorCode,
  FixedClock,
  VersionConflictError,
  handleCommandsAtomically,
  onStream,
  type CommandMetadata,
  type Decider,
  type EventStore,
  type StreamAppend,
} from '@projectflo/platform/core';
import { InMemoryEventStore } from './in-memory-event-store';

// handleCommandsAtomically over the in-memory store: a name reservation and the account that
// holds it, the shape of crm's CreateContact (email reservation + contact).

type Reserve = { type: 'Reserve'; data: { owner: string }; metadata: CommandMetadata };
type Reserved = { type: 'Reserved'; data: { owner: string } };
const reservation: Decider<string | null, Reserve, Reserved> = {
  aggregate: 'name reservation',
  schemaVersions: { Reserved: 1 },
  initialState: () => null,
  evolve: (_state, event) => event.data.owner,
  decide: (command, holder) => {
    if (holder === command.data.owner) return [];
    if (holder !== null) throw DomainError.alreadyExists('name', command.data.owner);
    return [{ type: 'Reserved', data: { owner: command.data.owner } }];
  },
};

type Open = { type: 'Open'; data: { id: string; fail?: boolean }; metadata: CommandMetadata };
type Opened = { type: 'Opened'; data: { id: string } };
const account: Decider<boolean, Open, Opened> = {
  aggregate: 'account',
  schemaVersions: { Opened: 1 },
  initialState: () => false,
  evolve: () => true,
  decide: (command, exists) => {
    if (command.data.fail) throw DomainError.invalid({ field: 'id', description: 'refused by the decider' });
    return exists ? [] : [{ type: 'Opened', data: { id: command.data.id } }];
  },
};

const TENANT = 'tenant-atomic';
const meta = (requestId: string): CommandMetadata => ({ tenantId: TENANT, actorId: 'actor', actorKind: 'user', requestId, now: new Date('2025-05-01T10:00:00.000Z') });

function openWithName(id: string, name: string, requestId: string, fail = false) {
  return [
    onStream(reservation, `name-${name}`, { type: 'Reserve', data: { owner: id }, metadata: meta(requestId) }),
    onStream(account, `account-${id}`, { type: 'Open', data: { id, fail }, metadata: meta(requestId) }),
  ];
}

describe('handleCommandsAtomically', () => {
  let store: InMemoryEventStore;
  beforeEach(() => (store = new InMemoryEventStore({ clock: new FixedClock(new Date('2025-05-01T10:00:00.000Z')) })));

  it('appends every stream of the command together', async () => {
    const results = await handleCommandsAtomically(store, openWithName('a-1', 'ada', 'req-1'));

    expect(results.map((r) => [r.version, r.duplicate, r.events.map((e) => e.type)])).toEqual([
      [1, false, ['Reserved']],
      [1, false, ['Opened']],
    ]);
    expect(store.allEvents.map((e) => e.streamName)).toEqual(['name-ada', 'account-a-1']);
  });

  it('writes nothing to the first stream when the second stream’s decision fails', async () => {
    const failure = await handleCommandsAtomically(store, openWithName('a-2', 'bea', 'req-2', true)).catch((e: unknown) => e);

    expect(failure).toMatchObject({ code: DomainErrorCode.InvalidArgument });
    expect(store.allEvents).toEqual([]);
  });

  it('writes nothing to the second stream when the first refuses (the name is held by another)', async () => {
    await handleCommandsAtomically(store, openWithName('a-3', 'cyd', 'req-3'));

    const failure = await handleCommandsAtomically(store, openWithName('a-4', 'cyd', 'req-4')).catch((e: unknown) => e);

    expect(failure).toMatchObject({ code: DomainErrorCode.AlreadyExists });
    expect((await store.readStream('account-a-4')).version).toBe(0);
  });

  it('returns the first result for a repeated request and appends nothing', async () => {
    await handleCommandsAtomically(store, openWithName('a-5', 'dee', 'req-5'));

    const again = await handleCommandsAtomically(store, openWithName('a-5', 'dee', 'req-5'));

    expect(again.map((r) => r.duplicate)).toEqual([true, true]);
    expect(store.allEvents).toHaveLength(2);
  });

  it('retries the whole command when another writer changed one of its streams in between', async () => {
    let raced = false;
    const racing = {
      readStream: (name: string) => store.readStream(name),
      appendToStreams: async (appends: readonly StreamAppend[]) => {
        if (!raced) {
          raced = true;
          // Another request reserves the same name for the same owner between read and append.
          await handleCommandsAtomically(store, [onStream(reservation, 'name-eve', { type: 'Reserve', data: { owner: 'a-6' }, metadata: meta('req-other') })]);
        }
        return store.appendToStreams(appends);
      },
    } as Pick<EventStore, 'readStream' | 'appendToStreams'> as EventStore;

    const results = await handleCommandsAtomically(racing, openWithName('a-6', 'eve', 'req-6'));

    expect(raced).toBe(true);
    // The retry found the name already held by a-6 (nothing to append there) and opened the account.
    expect(results.map((r) => r.events.length)).toEqual([0, 1]);
    expect((await store.readStream('name-eve')).version).toBe(1);
    expect((await store.readStream('account-a-6')).version).toBe(1);
  });

  it('does not retry a conflict on a stream whose expected version the client pinned', async () => {
    await handleCommandsAtomically(store, openWithName('a-7', 'fay', 'req-7'));
    const pinned = [
      onStream(reservation, 'name-gus', { type: 'Reserve', data: { owner: 'a-7' }, metadata: meta('req-8') }),
      onStream(account, 'account-a-7', { type: 'Open', data: { id: 'a-7' }, metadata: meta('req-8') }, { expectedVersion: 0 }),
    ];

    await expect(handleCommandsAtomically(store, pinned)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.readStream('name-gus')).version).toBe(0);
  });
});
