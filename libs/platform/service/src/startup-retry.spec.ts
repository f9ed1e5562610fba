import { FixedClock } from '@projectflo/platform/core';
import type { LogFields, Logger } from '@projectflo/platform/logging';
import { StartupTimeoutError, retryStartupStep } from './startup-retry';

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' });

function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A clock that the step's sleeps move, so no test waits for real time. */
function virtualTime(): { clock: FixedClock; sleep: (ms: number) => Promise<void>; slept: number[] } {
  const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
  const slept: number[] = [];
  return {
    clock,
    slept,
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
  };
}

describe('retryStartupStep', () => {
  it('retries while the infrastructure is unreachable, saying what it waits for, then returns the result', async () => {
    const logger = recordingLogger();
    const time = virtualTime();
    let calls = 0;
    const result = await retryStartupStep(
      'Kafka topics',
      async () => {
        calls++;
        if (calls < 4) throw refused();
        return 'ready';
      },
      logger,
      { clock: time.clock, sleep: time.sleep },
    );
    expect(result).toBe('ready');
    expect(calls).toBe(4);
    const waits = logger.lines.filter((l) => l.level === 'warn');
    expect(waits).toHaveLength(3);
    expect(waits[0]).toMatchObject({ message: 'start-up waits for infrastructure', fields: { waitingFor: 'Kafka topics', attempt: 1 } });
    expect(waits[0].fields?.['error']).toMatch(/ECONNREFUSED/);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'info', fields: { step: 'Kafka topics', attempts: 4 } });
  });

  it('backs off further after each failure, within the cap', async () => {
    const time = virtualTime();
    let calls = 0;
    await retryStartupStep(
      'Postgres',
      async () => {
        if (++calls < 12) throw refused();
      },
      recordingLogger(),
      { clock: time.clock, sleep: time.sleep, backoff: { initialMs: 100, maxMs: 1_000 } },
    );
    // Equal jitter: each delay lies between half and all of its exponential step.
    expect(time.slept[0]).toBeGreaterThanOrEqual(50);
    expect(time.slept[0]).toBeLessThanOrEqual(100);
    expect(time.slept[4]).toBeGreaterThanOrEqual(500);
    expect(Math.max(...time.slept)).toBeLessThanOrEqual(1_000);
  });

  it('fails at once on an error that waiting cannot fix', async () => {
    const time = virtualTime();
    let calls = 0;
    const syntax = Object.assign(new Error('syntax error at or near "CREAT"'), { code: '42601' });
    await expect(
      retryStartupStep(
        'Postgres (read-model migrations)',
        async () => {
          calls++;
          throw syntax;
        },
        recordingLogger(),
        { clock: time.clock, sleep: time.sleep },
      ),
    ).rejects.toBe(syntax);
    expect(calls).toBe(1);
    expect(time.slept).toEqual([]);
  });

  it('gives up after its budget with an error that names the step, the attempts and the last cause', async () => {
    const time = virtualTime();
    const attempt = retryStartupStep(
      'Temporal (worker registration)',
      async () => {
        throw refused();
      },
      recordingLogger(),
      { clock: time.clock, sleep: time.sleep, budgetMs: 10_000, backoff: { initialMs: 500, maxMs: 2_000 } },
    );
    await expect(attempt).rejects.toBeInstanceOf(StartupTimeoutError);
    await expect(attempt).rejects.toThrow(/^gave up waiting for Temporal \(worker registration\) after 10 s \(\d+ attempts\): connect ECONNREFUSED/);
    expect(time.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
  });
});
