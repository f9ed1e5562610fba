import { randomUUID } from 'node:crypto';
import {
  DomainError,
  DomainErrorCode,
  MAX_EVENT_BYTES,
  VersionConflictError,
  compareGlobalPositions,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type GlobalPosition,
  type RecordedEvent,
} from '@projectflo/platform/core';

export interface EventStoreContractSetup {
  /** A store connected to a server (or memory) ready for appends. */
  readonly create: () => Promise<EventStore>;
  /** Removes what `create` made (e.g. drops the schema); the suite closes the store itself. */
  readonly dispose?: () => Promise<void>;
  /**
   * Whether the store refuses a recorded event id in any other place than an idempotent replay.
   * EventStoreDB only dedupes ids within its idempotent-write window, so it opts out.
   */
  readonly uniqueEventIds: boolean;
  /** Whether appendToStreams can write several streams all or nothing (EventStoreDB cannot). */
  readonly multiStreamAppends: boolean;
}

/**
 * The one behaviour every EventStore adapter must show. Each test writes to streams named with a
 * fresh id and only looks at its own events in the global log, so the suite can run against a
 * server that other tests share (EventStoreDB has no schemas to isolate by).
 */
export function eventStoreContract(name: string, setup: EventStoreContractSetup): void {
  describe(`${name} (EventStore contract)`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await setup.create();
    });

    afterAll(async () => {
      await store?.close();
      await setup.dispose?.();
    });

    describe('appending and reading a stream', () => {
      it('records a batch with consecutive positions and reads it back in order', async () => {
        const stream = streamName('append');
        const events = [anEvent('LeadCaptured', { n: 1 }), anEvent('LeadQualified', { n: 2 })];

        const result = await store.appendToStream(stream, events, 'no_stream');

        expect(result.nextExpectedVersion).toBe(2);
        const read = await store.readStream(stream);
        expect(read.version).toBe(2);
        expect(read.events.map((e) => [e.streamPosition, e.eventId, e.type, e.data])).toEqual([
          [1, events[0].eventId, 'LeadCaptured', { n: 1 }],
          [2, events[1].eventId, 'LeadQualified', { n: 2 }],
        ]);
        expect(read.events.every((e) => e.streamName === stream)).toBe(true);
        expect(read.events.every((e) => !Number.isNaN(Date.parse(e.recordedAt)))).toBe(true);
        expect(compareGlobalPositions(read.events[1].globalPosition, result.lastPosition)).toBe(0);
      });

      it('reads a stream that does not exist as version 0 with no events', async () => {
        await expect(store.readStream(streamName('missing'))).resolves.toEqual({ version: 0, events: [] });
      });

      it('round-trips tenant, metadata, schema version and payload exactly', async () => {
        const stream = streamName('metadata');
        const metadata: EventMetadata = {
          tenantId: `tenant-${randomUUID()}`,
          actorId: 'user-7',
          requestId: randomUUID(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
          occurredAt: '2025-03-01T09:30:00.000Z',
          automationDepth: 2,
        };
        const data = { name: 'Zoë “Studio” Ørsted', amount: '1234.50', nested: { list: [1, 'two', null], flag: false } };
        const event: EventToAppend = { eventId: randomUUID(), type: 'ContactCreated', data, schemaVersion: 3, metadata };

        await store.appendToStream(stream, [event], 'no_stream');

        const [fromStream] = (await store.readStream(stream)).events;
        expect(fromStream).toMatchObject({ eventId: event.eventId, type: 'ContactCreated', data, schemaVersion: 3, metadata });
        const fromLog = await eventually(
          () => readOwn(store, [stream]),
          (events) => events.length === 1,
        );
        expect(fromLog[0]).toMatchObject({ eventId: event.eventId, data, schemaVersion: 3, metadata });
      });
    });

    describe('expected versions', () => {
      it.each<[string, ExpectedVersion]>([
        ['no_stream', 'no_stream'],
        ['0', 0],
        ['any', 'any'],
      ])('appends to a new stream expecting %s', async (_label, expected) => {
        const stream = streamName('new');
        await expect(store.appendToStream(stream, [anEvent()], expected)).resolves.toMatchObject({ nextExpectedVersion: 1 });
      });

      it.each<[string, ExpectedVersion]>([
        ['its exact version', 2],
        ['stream_exists', 'stream_exists'],
        ['any', 'any'],
      ])('appends to an existing stream expecting %s', async (_label, expected) => {
        const stream = await existingStream(store, 2);
        await expect(store.appendToStream(stream, [anEvent()], expected)).resolves.toMatchObject({ nextExpectedVersion: 3 });
        expect((await store.readStream(stream)).version).toBe(3);
      });

      it.each<[string, ExpectedVersion, number]>([
        ['no_stream on an existing stream', 'no_stream', 2],
        ['a version behind', 1, 2],
        ['a version ahead', 5, 2],
        ['0 on an existing stream', 0, 2],
      ])('rejects %s with a conflict carrying stream, expected and actual', async (_label, expected, actual) => {
        const stream = await existingStream(store, actual);

        const error = await rejectionOf(store.appendToStream(stream, [anEvent()], expected));

        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({ code: DomainErrorCode.VersionConflict, streamName: stream, expectedVersion: expected, actualVersion: actual });
        expect((await store.readStream(stream)).version).toBe(actual);
      });

      it.each<[string, ExpectedVersion]>([
        ['stream_exists', 'stream_exists'],
        ['a positive version', 3],
      ])('rejects %s on a missing stream with actual version 0', async (_label, expected) => {
        const stream = streamName('absent');
        const error = await rejectionOf(store.appendToStream(stream, [anEvent()], expected));
        expect(error).toMatchObject({ streamName: stream, expectedVersion: expected, actualVersion: 0 });
        expect(error).toBeInstanceOf(VersionConflictError);
        expect((await store.readStream(stream)).events).toEqual([]);
      });
    });

    describe('atomicity and idempotence', () => {
      it('writes nothing of a rejected multi-event batch', async () => {
        const stream = await existingStream(store, 1);
        const batch = [anEvent(), anEvent(), anEvent()];

        await expect(store.appendToStream(stream, batch, 'no_stream')).rejects.toBeInstanceOf(VersionConflictError);

        const read = await store.readStream(stream);
        expect(read.version).toBe(1);
        expect(read.events.map((e) => e.eventId)).not.toContain(batch[0].eventId);
      });

      it('treats re-appending the same batch with the same expected version as an idempotent replay', async () => {
        const stream = streamName('replay');
        const batch = [anEvent(), anEvent()];
        const first = await store.appendToStream(stream, batch, 'no_stream');

        const again = await store.appendToStream(stream, batch, 'no_stream');

        expect(again.nextExpectedVersion).toBe(first.nextExpectedVersion);
        expect((await store.readStream(stream)).events.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
      });

      if (setup.uniqueEventIds) {
        it('refuses a recorded event id anywhere else with a conflict and writes nothing of the batch', async () => {
          const recorded = anEvent();
          const first = streamName('ids');
          await store.appendToStream(first, [recorded], 'no_stream');
          const other = streamName('ids-other');

          const error = await rejectionOf(store.appendToStream(other, [anEvent(), recorded], 'any'));

          expect(error).toBeInstanceOf(VersionConflictError);
          expect((await store.readStream(other)).events).toEqual([]);
          expect((await store.readStream(first)).version).toBe(1);
        });
      }

      it('lets exactly one of two concurrent appends with the same expected version win', async () => {
        const rounds = await Promise.all(
          Array.from({ length: 5 }, async () => {
            const stream = await existingStream(store, 1);
            const [a, b] = [anEvent('A'), anEvent('B')];
            const outcomes = await Promise.allSettled([store.appendToStream(stream, [a], 1), store.appendToStream(stream, [b], 1)]);
            return { stream, a, b, outcomes };
          }),
        );
        for (const { stream, a, b, outcomes } of rounds) {
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(lost[0]).toBeInstanceOf(VersionConflictError);
          expect(lost[0]).toMatchObject({ streamName: stream, expectedVersion: 1, actualVersion: 2 });
          const read = await store.readStream(stream);
          expect(read.version).toBe(2);
          const winner = outcomes[0].status === 'fulfilled' ? a : b;
          expect(read.events[1].eventId).toBe(winner.eventId);
        }
      });
    });

    describe('event size', () => {
      it('refuses an event over MAX_EVENT_BYTES with INVALID_ARGUMENT and writes nothing of the batch', async () => {
        const stream = streamName('oversized');
        const oversized = anEvent('Oversized', { blob: 'x'.repeat(MAX_EVENT_BYTES) });

        const error = await rejectionOf(store.appendToStream(stream, [anEvent(), oversized], 'no_stream'));

        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ code: DomainErrorCode.InvalidArgument, fieldViolations: [{ field: 'events[1]' }] });
        expect((error as DomainError).message).toContain(`at most ${MAX_EVENT_BYTES} bytes`);
        expect((await store.readStream(stream)).events).toEqual([]);
      });

      it('accepts an event just under the limit', async () => {
        const stream = streamName('large');
        const probe = anEvent('Large', { blob: '' });
        const overhead = JSON.stringify(probe.data).length + JSON.stringify(probe.metadata).length + probe.type.length;
        const large = { ...probe, data: { blob: 'y'.repeat(MAX_EVENT_BYTES - overhead) } };

        await store.appendToStream(stream, [large], 'no_stream');

        expect((await store.readStream(stream)).events.map((e) => (e.data as { blob: string }).blob.length)).toEqual([MAX_EVENT_BYTES - overhead]);
      });
    });

    if (setup.multiStreamAppends) {
      describe('appending to several streams at once', () => {
        it('records every stream, each at its expected version, and reports results in the given order', async () => {
          const existing = await existingStream(store, 2);
          const fresh = streamName('multi-new');
          const [a, b, c] = [anEvent('A'), anEvent('B'), anEvent('C')];

          const results = await store.appendToStreams([
            { streamName: fresh, events: [a, b], expectedVersion: 'no_stream' },
            { streamName: existing, events: [c], expectedVersion: 2 },
          ]);

          expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 3]);
          expect((await store.readStream(fresh)).events.map((e) => e.eventId)).toEqual([a.eventId, b.eventId]);
          expect((await store.readStream(existing)).events.map((e) => e.eventId).slice(2)).toEqual([c.eventId]);
          const log = await eventually(
            () => readOwn(store, [fresh, existing]),
            (events) => events.length === 5,
          );
          expect(log.slice(2).map((e) => e.eventId)).toEqual(expect.arrayContaining([a.eventId, b.eventId, c.eventId]));
        });

        it.each([
          ['the first', 0],
          ['the last', 1],
        ])('writes nothing to any stream when %s stream conflicts, and names it in the conflict', async (_label, conflicting) => {
          const streams = [await existingStream(store, 1), await existingStream(store, 1)];
          const expected = streams.map((_, i) => (i === conflicting ? 5 : 1));

          const error = await rejectionOf(
            store.appendToStreams(streams.map((stream, i) => ({ streamName: stream, events: [anEvent(), anEvent()], expectedVersion: expected[i] }))),
          );

          expect(error).toBeInstanceOf(VersionConflictError);
          expect(error).toMatchObject({ streamName: streams[conflicting], expectedVersion: 5, actualVersion: 1 });
          for (const stream of streams) expect((await store.readStream(stream)).version).toBe(1);
        });

        if (setup.uniqueEventIds) {
          it('writes nothing when one stream carries an event id recorded elsewhere', async () => {
            const recorded = anEvent();
            await store.appendToStream(streamName('multi-ids'), [recorded], 'no_stream');
            const [first, second] = [streamName('multi-a'), streamName('multi-b')];

            const error = await rejectionOf(
              store.appendToStreams([
                { streamName: first, events: [anEvent()], expectedVersion: 'no_stream' },
                { streamName: second, events: [recorded], expectedVersion: 'no_stream' },
              ]),
            );

            expect(error).toBeInstanceOf(VersionConflictError);
            expect((await store.readStream(first)).events).toEqual([]);
            expect((await store.readStream(second)).events).toEqual([]);
          });
        }

        it('treats re-appending the same set as an idempotent replay', async () => {
          const appends = [
            { streamName: streamName('replay-a'), events: [anEvent()], expectedVersion: 'no_stream' as const },
            { streamName: streamName('replay-b'), events: [anEvent(), anEvent()], expectedVersion: 'no_stream' as const },
          ];
          const first = await store.appendToStreams(appends);

          const again = await store.appendToStreams(appends);

          expect(again.map((r) => r.nextExpectedVersion)).toEqual(first.map((r) => r.nextExpectedVersion));
          expect((await store.readStream(appends[1].streamName)).version).toBe(2);
        });

        it('refuses a stream named twice or an empty set, before writing', async () => {
          const stream = streamName('twice');
          const twice = await rejectionOf(
            store.appendToStreams([
              { streamName: stream, events: [anEvent()], expectedVersion: 'no_stream' },
              { streamName: stream, events: [anEvent()], expectedVersion: 'no_stream' },
            ]),
          );
          expect(twice).toMatchObject({ code: DomainErrorCode.InvalidArgument });
          expect(await rejectionOf(store.appendToStreams([]))).toMatchObject({ code: DomainErrorCode.InvalidArgument });
          expect((await store.readStream(stream)).events).toEqual([]);
        });

        it('lets exactly one of two racing multi-stream appends over the same streams win, whatever their order', async () => {
          for (let round = 0; round < 5; round++) {
            const [x, y] = [streamName('race-x'), streamName('race-y')];
            const one = [x, y].map((stream) => ({ streamName: stream, events: [anEvent('One')], expectedVersion: 'no_stream' as const }));
            const other = [y, x].map((stream) => ({ streamName: stream, events: [anEvent('Other')], expectedVersion: 'no_stream' as const }));

            const outcomes = await Promise.allSettled([store.appendToStreams(one), store.appendToStreams(other)]);

            expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
            const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
            expect(lost[0]).toBeInstanceOf(VersionConflictError);
            const types = [(await store.readStream(x)).events.map((e) => e.type), (await store.readStream(y)).events.map((e) => e.type)];
            expect(types[0]).toHaveLength(1);
            expect(types[1]).toEqual(types[0]);
          }
        });
      });
    } else {
      it('refuses an append to several streams before writing anything (no multi-stream transactions)', async () => {
        const [a, b] = [streamName('multi-refused-a'), streamName('multi-refused-b')];
        await expect(
          store.appendToStreams([
            { streamName: a, events: [anEvent()], expectedVersion: 'no_stream' },
            { streamName: b, events: [anEvent()], expectedVersion: 'no_stream' },
          ]),
        ).rejects.toThrow(/atomically/);
        expect((await store.readStream(a)).events).toEqual([]);
        expect((await store.readStream(b)).events).toEqual([]);
        await expect(store.appendToStreams([{ streamName: a, events: [anEvent()], expectedVersion: 'no_stream' }])).resolves.toMatchObject([
          { nextExpectedVersion: 1 },
        ]);
      });
    }

    describe('the global log', () => {
      it('returns every event in commit order, strictly after a position, page by page', async () => {
        const [a, b] = [streamName('log-a'), streamName('log-b')];
        const appended = [anEvent('A1'), anEvent('B1'), anEvent('B2'), anEvent('A2')];
        await store.appendToStream(a, [appended[0]], 'no_stream');
        await store.appendToStream(b, [appended[1], appended[2]], 'no_stream');
        await store.appendToStream(a, [appended[3]], 1);

        const all = await eventually(
          () => readOwn(store, [a, b]),
          (events) => events.length === 4,
        );
        expect(all.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
        for (let i = 1; i < all.length; i++) {
          expect(compareGlobalPositions(all[i - 1].globalPosition, all[i].globalPosition)).toBe(-1);
        }

        const afterSecond = await readOwn(store, [a, b], all[1].globalPosition);
        expect(afterSecond.map((e) => e.eventId)).toEqual(appended.slice(2).map((e) => e.eventId));

        const pagedOneByOne = await readOwn(store, [a, b], undefined, 1);
        expect(pagedOneByOne.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
      });
    });

    describe('subscribing to the global log', () => {
      it('delivers everything already recorded, then new events, in order and once', async () => {
        const stream = streamName('subscribe');
        const before = [anEvent('Before1'), anEvent('Before2')];
        await store.appendToStream(stream, before, 'no_stream');
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          onEvents: async (events) => {
            received.push(...events.filter((e) => e.streamName === stream));
          },
          batchSize: 50,
        });
        try {
          await eventually(
            async () => received,
            (events) => events.length >= 2,
          );
          const after = anEvent('After');
          await store.appendToStream(stream, [after], 2);
          await eventually(
            async () => received,
            (events) => events.length >= 3,
          );
          expect(received.map((e) => e.eventId)).toEqual([...before, after].map((e) => e.eventId));
        } finally {
          await subscription.close();
        }
      });

      it('starts strictly after the given position', async () => {
        const stream = streamName('subscribe-after');
        const batch = [anEvent('First'), anEvent('Second'), anEvent('Third')];
        await store.appendToStream(stream, batch, 'no_stream');
        const recorded = await eventually(
          () => readOwn(store, [stream]),
          (events) => events.length === 3,
        );
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          after: recorded[0].globalPosition,
          onEvents: async (events) => {
            received.push(...events.filter((e) => e.streamName === stream));
          },
        });
        try {
          await eventually(
            async () => received,
            (events) => events.length >= 2,
          );
          expect(received.map((e) => e.type)).toEqual(['Second', 'Third']);
        } finally {
          await subscription.close();
        }
      });

      it('finishes the batch being handled before close() resolves', async () => {
        const stream = streamName('subscribe-close');
        await store.appendToStream(stream, [anEvent()], 'no_stream');
        let releaseHandler: () => void = () => undefined;
        const handlerEntered = deferred();
        let handlerFinished = false;
        const subscription = store.subscribeToAll({
          onEvents: async (events) => {
            if (!events.some((e) => e.streamName === stream)) return;
            handlerEntered.resolve();
            await new Promise<void>((resolve) => (releaseHandler = resolve));
            handlerFinished = true;
          },
        });
        await handlerEntered.promise;
        let closed = false;
        const closing = subscription.close().then(() => (closed = true));
        await new Promise((resolve) => setImmediate(resolve));
        expect(closed).toBe(false);

        releaseHandler();
        await closing;
        expect(handlerFinished).toBe(true);
      });
    });
  });
}

const runId = randomUUID().slice(0, 8);

function streamName(purpose: string): string {
  return `contract_${purpose}-${runId}-${randomUUID()}`;
}

function anEvent(type = 'SomethingHappened', data: Record<string, unknown> = { value: randomUUID() }): EventToAppend {
  return {
    eventId: randomUUID(),
    type,
    data,
    schemaVersion: 1,
    metadata: {
      tenantId: 'tenant-contract',
      actorId: 'actor-contract',
      requestId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2025-01-01T00:00:00.000Z',
    },
  };
}

async function existingStream(store: EventStore, version: number): Promise<string> {
  const stream = streamName('existing');
  await store.appendToStream(
    stream,
    Array.from({ length: version }, () => anEvent()),
    'no_stream',
  );
  return stream;
}

/** Pages through the whole global log after `after`, keeping the events of the given streams. */
async function readOwn(store: EventStore, streams: readonly string[], after?: GlobalPosition, pageSize = 500): Promise<RecordedEvent[]> {
  const own: RecordedEvent[] = [];
  let position = after;
  for (;;) {
    const page = await store.readAll({ after: position, limit: pageSize });
    if (page.length === 0) return own;
    own.push(...page.filter((e) => streams.includes(e.streamName)));
    position = page[page.length - 1].globalPosition;
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/**
 * Polls until `done` holds. The global log may lag a moment behind an append (another client's
 * open transaction on a shared server holds readers back): the suite waits for it, it never
 * asserts how long that takes.
 */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
