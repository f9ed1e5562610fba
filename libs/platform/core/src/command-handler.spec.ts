import { automationMetadata, type CommandMetadata, defineDecider, systemActor } from './decider';
import { deciderSpecification } from './decider-specification';
import { DomainError, DomainErrorCode, VersionConflictError, isRejection } from './errors';
import type { EventStore } from './event-store.port';
import type { EventToAppend, RecordedEvent } from './events';
import { eventOf, handleCommand, type ViewFold } from './command-handler';

type Opened = { type: 'CounterOpened'; data: { counterId: string } };
type Bumped = { type: 'CounterBumped'; data: { by: number } };
type CounterEvent = Opened | Bumped;
type CounterCommand =
  | { type: 'OpenCounter'; data: { counterId: string }; metadata: CommandMetadata }
  | { type: 'BumpCounter'; data: { by: number }; metadata: CommandMetadata };

const counterDecider = defineDecider({
  aggregate: 'counter',
  schemaVersions: { CounterOpened: 1, CounterBumped: 2 },
  initialState: (): number | null => null,
  evolve: (state: number | null, event: CounterEvent): number | null => (event.type === 'CounterOpened' ? 0 : (state ?? 0) + event.data.by),
  decide: (command: CounterCommand, state: number | null): CounterEvent[] => {
    switch (command.type) {
      case 'OpenCounter':
        return state === null ? [{ type: 'CounterOpened', data: { counterId: command.data.counterId } }] : [];
      case 'BumpCounter':
        if (state === null) throw DomainError.notFound('counter', '?');
        return [{ type: 'CounterBumped', data: { by: command.data.by } }];
    }
  },
});

/** The read model's row: what a projection stores and a reply shows. */
interface CounterRow {
  readonly total: number;
  readonly version: number;
  readonly updatedAt: string;
}
const evolveCounterRow: ViewFold<CounterRow> = (row, event) => ({
  total: (row?.total ?? 0) + (event.type === 'CounterBumped' ? (event.data as Bumped['data']).by : 0),
  version: event.streamPosition,
  updatedAt: event.metadata.occurredAt,
});

function metadata(requestId: string, tenantId = 't1'): CommandMetadata {
  return { tenantId, actorId: 'ann', actorKind: 'user', requestId, now: new Date('2025-06-11T14:00:00Z') };
}

/** One stream in memory that counts its reads. */
function countingStore() {
  const recorded: RecordedEvent[] = [];
  let reads = 0;
  const store = {
    readStream: async () => {
      reads++;
      return { version: recorded.length, events: [...recorded] };
    },
    appendToStream: async (streamName: string, events: readonly EventToAppend[], expected: number | 'no_stream') => {
      const version = recorded.length;
      if (expected !== (version === 0 ? 'no_stream' : version)) throw new VersionConflictError(streamName, expected, version);
      events.forEach((e, i) =>
        recorded.push({ ...e, streamName, streamPosition: version + i + 1, globalPosition: { commit: '1', prepare: String(version + i) }, recordedAt: '' }),
      );
      return { nextExpectedVersion: recorded.length };
    },
  } as unknown as EventStore;
  return { store, recorded, reads: () => reads };
}

describe('handleCommand with a decider from defineDecider', () => {
  it('stamps each event with the schema version the decider declares for its type', async () => {
    const { store, recorded } = countingStore();
    await handleCommand(store, counterDecider, 'counter-1', { type: 'OpenCounter', data: { counterId: '1' }, metadata: metadata('r1') });
    await handleCommand(store, counterDecider, 'counter-1', { type: 'BumpCounter', data: { by: 2 }, metadata: metadata('r2') });
    expect(recorded.map((e) => [e.type, e.schemaVersion])).toEqual([
      ['CounterOpened', 1],
      ['CounterBumped', 2],
    ]);
  });

  it("names the decider's aggregate when the stream belongs to another tenant", async () => {
    const { store } = countingStore();
    await handleCommand(store, counterDecider, 'counter-1', { type: 'OpenCounter', data: { counterId: '1' }, metadata: metadata('r1') });
    const error = await handleCommand(store, counterDecider, 'counter-1', { type: 'BumpCounter', data: { by: 1 }, metadata: metadata('r2', 't2') }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: DomainErrorCode.NotFound, message: 'counter counter-1 was not found' });
  });

  it('returns the view folded from the events read plus those appended, reading the stream once', async () => {
    const { store, reads } = countingStore();
    await handleCommand(store, counterDecider, 'counter-1', { type: 'OpenCounter', data: { counterId: '1' }, metadata: metadata('r1') });
    const before = reads();
    const result = await handleCommand(store, counterDecider, 'counter-1', { type: 'BumpCounter', data: { by: 3 }, metadata: metadata('r2') }, { view: evolveCounterRow });
    expect(reads() - before).toBe(1);
    expect(result.version).toBe(2);
    expect(result.state).toBe(3);
    expect(result.view).toEqual({ total: 3, version: 2, updatedAt: '2025-06-11T14:00:00.000Z' });
    expect(eventOf(result.events, 'CounterBumped').data).toEqual({ by: 3 });
  });

  it('returns the whole stream as the view of a repeated request id, appending nothing', async () => {
    const { store, recorded } = countingStore();
    const command = { type: 'OpenCounter' as const, data: { counterId: '1' }, metadata: metadata('r1') };
    await handleCommand(store, counterDecider, 'counter-1', command);
    await handleCommand(store, counterDecider, 'counter-1', { type: 'BumpCounter', data: { by: 5 }, metadata: metadata('r2') });
    const again = await handleCommand(store, counterDecider, 'counter-1', command, { view: evolveCounterRow });
    expect(again.duplicate).toBe(true);
    expect(recorded).toHaveLength(2);
    expect(again.view).toEqual({ total: 5, version: 2, updatedAt: '2025-06-11T14:00:00.000Z' });
  });

  it('is specified in given/when/then form', () => {
    const { given } = deciderSpecification(counterDecider);
    given([{ type: 'CounterOpened', data: { counterId: '1' } }])
      .when({ type: 'BumpCounter', data: { by: 1 }, metadata: metadata('r') })
      .then([{ type: 'CounterBumped', data: { by: 1 } }]);
    given([]).when({ type: 'BumpCounter', data: { by: 1 }, metadata: metadata('r') }).thenThrows(DomainErrorCode.NotFound);
  });
});

describe('automationMetadata', () => {
  it("is the service's system actor, with the cause's correlation, causation and depth", () => {
    const now = new Date('2025-06-11T14:00:00Z');
    expect(
      automationMetadata({ service: 'task-engine', tenantId: 't1', requestId: 'r1', now, cause: { correlationId: 'c', causationId: 'e', automationDepth: 2 } }),
    ).toEqual({ tenantId: 't1', actorId: 'system:task-engine', actorKind: 'service', requestId: 'r1', now, correlationId: 'c', causationId: 'e', automationDepth: 2 });
    // The service issued it, whoever the message says it acts for.
    expect(automationMetadata({ service: 'crm', tenantId: 't1', requestId: 'r1', now, actorId: 'ann' })).toEqual({ tenantId: 't1', actorId: 'ann', actorKind: 'service', requestId: 'r1', now });
    expect(systemActor('crm')).toBe('system:crm');
  });
});

describe('isRejection', () => {
  it('is every DomainError but a version conflict', () => {
    expect(isRejection(DomainError.notFound('lead', 'x'))).toBe(true);
    expect(isRejection(new VersionConflictError('s', 1, 2))).toBe(false);
    expect(isRejection(new Error('boom'))).toBe(false);
  });
});
