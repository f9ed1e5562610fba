import { automationMetadata, type CommandMetadata, defineDecider, FixedClock, VersionConflictError } from '@projectflo/platform/core';
import { InMemoryEventStore } from '@projectflo/platform/event-store';
import type { CommandContext } from '@projectflo/platform/grpc';
import { CommandExecutor, commandOn, issuerTenantId } from './command-executor';

// The decider records the metadata each command arrived with, so the test reads what the executor built.
type Note = { type: 'Noted'; data: { text: string; actorId: string; requestId: string; at: string; fingerprint: string | null } };
type AddNote = { type: 'AddNote'; data: { text: string }; metadata: CommandMetadata };
const notes = defineDecider({
  aggregate: 'note',
  schemaVersions: { Noted: 1 },
  initialState: (): Note['data'][] => [],
  evolve: (state: Note['data'][], event: Note) => [...state, event.data],
  decide: ({ data, metadata }: AddNote): Note[] => [
    {
      type: 'Noted',
      data: { text: data.text, actorId: metadata.actorId, requestId: metadata.requestId, at: metadata.now.toISOString(), fingerprint: metadata.requestFingerprint ?? null },
    },
  ],
});

const tenantId = '5e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const context: CommandContext = { tenantId, actorId: 'ann', actorKind: 'user', roles: ['member'], requestId: 'req-1', requestFingerprint: 'f1', correlationId: 'corr-1' };

function executor(): { executor: CommandExecutor; clock: FixedClock } {
  const clock = new FixedClock(new Date('2026-03-02T09:30:00Z'));
  return { executor: new CommandExecutor(new InMemoryEventStore(), clock), clock };
}

describe('CommandExecutor: builds a command from its intent and its issuer', () => {
  it('times a gRPC caller\'s command by its own clock and keeps the caller, request id and fingerprint', async () => {
    const { executor: commands } = executor();
    const { state, version } = await commands.run(notes, 'note-1', { type: 'AddNote', data: { text: 'hello' } }, { context });
    expect(version).toBe(1);
    expect(state).toEqual([{ text: 'hello', actorId: 'ann', requestId: 'req-1', at: '2026-03-02T09:30:00.000Z', fingerprint: 'f1' }]);
  });

  it('runs an automation\'s command with the metadata it built, untouched', async () => {
    const { executor: commands } = executor();
    const metadata = automationMetadata({ service: 'notes', tenantId, requestId: 'auto-1', now: new Date('2020-01-01T00:00:00Z'), cause: { automationDepth: 1 } });
    const { state } = await commands.run(notes, 'note-1', { type: 'AddNote', data: { text: 'auto' } }, { metadata });
    expect(state).toEqual([{ text: 'auto', actorId: metadata.actorId, requestId: 'auto-1', at: '2020-01-01T00:00:00.000Z', fingerprint: null }]);
  });

  it('passes the stream options on: a pinned expected version that does not match is refused', async () => {
    const { executor: commands } = executor();
    await expect(commands.run(notes, 'note-1', { type: 'AddNote', data: { text: 'late' } }, { context, expectedVersion: 3 })).rejects.toThrow(VersionConflictError);
  });

  it('gives every entry of an atomic command the same metadata', async () => {
    const { executor: commands, clock } = executor();
    const pending = commands.runAtomically(
      [commandOn(notes, 'note-a', { type: 'AddNote', data: { text: 'a' } }), commandOn(notes, 'note-b', { type: 'AddNote', data: { text: 'b' } })],
      { context },
    );
    clock.advance(60_000);
    const [a, b] = await pending;
    expect(a.state[0].at).toBe('2026-03-02T09:30:00.000Z');
    expect(b.state[0]).toEqual({ ...a.state[0], text: 'b' });
  });

  it('names the tenant of either kind of issuer', () => {
    const metadata = automationMetadata({ service: 'notes', tenantId: 'other', requestId: 'auto-1', now: new Date(), cause: {} });
    expect(issuerTenantId({ context })).toBe(tenantId);
    expect(issuerTenantId({ metadata })).toBe('other');
  });
});
