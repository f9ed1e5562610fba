import type { CommandMetadata, Decider } from './decider';
import { DomainError, DomainErrorCode } from './errors';
import type { EventStore } from './event-store.port';
import type { EventToAppend, RecordedEvent } from './events';
import { handleCommand } from './command-handler';

type Note = { type: 'NoteAdded'; data: { text: string } };
type AddNote = { type: 'AddNote'; data: { text: string }; metadata: CommandMetadata };

const notes: Decider<string[], AddNote, Note> = {
  aggregate: 'note',
  schemaVersions: { NoteAdded: 1 },
  initialState: () => [],
  evolve: (state, event) => [...state, event.data.text],
  decide: (command) => [{ type: 'NoteAdded', data: { text: command.data.text } }],
};

/** One stream in memory: what handleCommand reads and appends. */
function oneStreamStore(): EventStore {
  const recorded: RecordedEvent[] = [];
  const store = {
    readStream: async () => ({ version: recorded.length, events: [...recorded] }),
    appendToStream: async (_stream: string, events: readonly EventToAppend[]) => {
      for (const e of events) recorded.push({ ...e, streamName: 'note-1', streamPosition: recorded.length + 1 } as unknown as RecordedEvent);
      return { nextExpectedVersion: recorded.length };
    },
  };
  return store as unknown as EventStore;
}

const metadata = (requestFingerprint?: string): CommandMetadata => ({
  tenantId: '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b',
  actorId: 'user-1',
  actorKind: 'user',
  requestId: 'req-1',
  now: new Date('2026-01-01T00:00:00Z'),
  ...(requestFingerprint !== undefined ? { requestFingerprint } : {}),
});

describe('handleCommand: a request id is the idempotency key of one request', () => {
  it('replays the first result for the same request id and the same request', async () => {
    const store = oneStreamStore();
    await handleCommand(store, notes, 'note-1', { type: 'AddNote', data: { text: 'a' }, metadata: metadata('f1') });
    const again = await handleCommand(store, notes, 'note-1', { type: 'AddNote', data: { text: 'a' }, metadata: metadata('f1') });
    expect(again.duplicate).toBe(true);
    expect((await store.readStream('note-1')).version).toBe(1);
  });

  it('answers ALREADY_EXISTS for the same request id with a different request, and appends nothing', async () => {
    const store = oneStreamStore();
    await handleCommand(store, notes, 'note-1', { type: 'AddNote', data: { text: 'a' }, metadata: metadata('f1') });
    const error = await handleCommand(store, notes, 'note-1', { type: 'AddNote', data: { text: 'b' }, metadata: metadata('f2') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.AlreadyExists);
    expect((error as DomainError).message).toContain('req-1 was already used for a different request');
    expect((await store.readStream('note-1')).version).toBe(1);
  });

  it('stores the fingerprint with the events; commands without one (automations) replay as before', async () => {
    const store = oneStreamStore();
    const first = await handleCommand(store, notes, 'note-1', { type: 'AddNote', data: { text: 'a' }, metadata: metadata('f1') });
    expect(first.events[0]?.metadata.requestFingerprint).toBe('f1');
    const unfingerprinted = await handleCommand(store, notes, 'note-1', { type: 'AddNote', data: { text: 'other' }, metadata: metadata() });
    expect(unfingerprinted.duplicate).toBe(true);
  });
});
