import type { Logger } from '@projectflo/platform/logging';
import { PoisonMessageError } from '@projectflo/platform/messaging';
import { InvalidWorkflowIdError } from '@projectflo/platform/workflow';
import { type PendingWorkflowRequest, RequestDispatcher, requestWorkflowId, type WorkflowRequestQueue } from './workflow-requests';

const NOW = new Date('2026-06-01T10:00:00Z');
const logger = { warn: () => undefined } as unknown as Logger;

class Queue implements WorkflowRequestQueue<string> {
  readonly done_: string[] = [];
  readonly postponed: { id: string; at: Date; error: string }[] = [];
  readonly listeners = new Set<() => void>();
  passes = 0;
  /** Runs inside the next `due` (a request committed while a pass reads). */
  duringNextPass: (() => void) | undefined;
  constructor(readonly pending: PendingWorkflowRequest<string>[]) {}
  async due(_now: Date, limit: number) {
    this.passes++;
    const found = this.pending.filter((r) => !this.done_.includes(r.workflowId)).slice(0, limit);
    const during = this.duringNextPass;
    this.duringNextPass = undefined;
    during?.();
    return found;
  }
  /** A request recorded and committed in this process. */
  commit(r: PendingWorkflowRequest<string>) {
    this.pending.push(r);
    for (const listener of this.listeners) listener();
  }
  onRecorded(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async done(id: string) {
    this.done_.push(id);
  }
  async postpone(id: string, at: Date, error: string) {
    this.postponed.push({ id, at, error });
  }
}

const request = (id: string, attempts = 0): PendingWorkflowRequest<string> => ({ workflowId: id, input: `input-${id}`, attempts });

describe('RequestDispatcher', () => {
  it('dispatches the due requests in order and marks each done after its dispatch', async () => {
    const queue = new Queue([request('a'), request('b')]);
    const dispatched: string[] = [];
    const dispatcher = new RequestDispatcher({ name: 't', queue, dispatch: async (r) => dispatched.push(r.input), clock: { now: () => NOW }, logger, batch: 2 });
    expect(await dispatcher.dispatchDue()).toBe(true);
    expect(dispatched).toEqual(['input-a', 'input-b']);
    expect(queue.done_).toEqual(['a', 'b']);
  });

  it('postpones a failed dispatch with backoff from its attempts, keeps it, and stops the pass', async () => {
    const queue = new Queue([request('a', 2), request('b')]);
    const dispatcher = new RequestDispatcher({
      name: 't',
      queue,
      dispatch: async () => {
        throw new Error('temporal unavailable');
      },
      clock: { now: () => NOW },
      logger,
      retry: { initialMs: 100, maxMs: 10_000 },
      concurrency: 1,
    });
    await expect(dispatcher.dispatchDue()).rejects.toThrow('temporal unavailable');
    expect(queue.done_).toEqual([]);
    expect(queue.postponed).toHaveLength(1);
    expect(queue.postponed[0]!.id).toBe('a');
    expect(queue.postponed[0]!.error).toBe('temporal unavailable');
    expect(queue.postponed[0]!.at.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it('dispatches a batch concurrently, at most `concurrency` at once, and postpones only the failed ones', async () => {
    const queue = new Queue(['a', 'b', 'c', 'd', 'e'].map((id) => request(id)));
    let inFlight = 0;
    let most = 0;
    const dispatcher = new RequestDispatcher({
      name: 't',
      queue,
      dispatch: async (r) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        if (r.workflowId === 'b') throw new Error('b refused');
      },
      clock: { now: () => NOW },
      logger,
      batch: 5,
      concurrency: 2,
    });
    await expect(dispatcher.dispatchDue()).rejects.toThrow('b refused');
    expect(most).toBe(2);
    // The group of a and b ran; the pass stopped after it.
    expect(queue.done_).toEqual(['a']);
    expect(queue.postponed.map((p) => p.id)).toEqual(['b']);
    queue.pending.splice(1, 1);
    expect(await dispatcher.dispatchDue()).toBe(false);
    expect([...queue.done_].sort()).toEqual(['a', 'c', 'd', 'e']);
  });

  describe('its loop', () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    // A poll interval no test waits out: whatever is dispatched was woken for.
    const HOUR = 3_600_000;

    async function running(queue: Queue, dispatch: (r: PendingWorkflowRequest<string>) => Promise<unknown>, retryMs = 10) {
      const dispatcher = new RequestDispatcher({ name: 't', queue, dispatch, clock: { now: () => NOW }, logger, pollMs: HOUR, retry: { initialMs: retryMs, maxMs: retryMs } });
      dispatcher.start();
      await settle();
      return dispatcher;
    }

    it('is woken by a commit of this process while it waits for its next poll', async () => {
      const queue = new Queue([]);
      const dispatched: string[] = [];
      const dispatcher = await running(queue, async (r) => dispatched.push(r.workflowId));
      expect(queue.passes).toBe(1);
      queue.commit(request('a'));
      await settle();
      expect(dispatched).toEqual(['a']);
      await dispatcher.stop();
      expect(queue.listeners.size).toBe(0);
    });

    it('looks again before sleeping when a commit woke it during a pass', async () => {
      const queue = new Queue([]);
      const dispatched: string[] = [];
      queue.duringNextPass = () => queue.commit(request('late'));
      const dispatcher = await running(queue, async (r) => dispatched.push(r.workflowId));
      expect(dispatched).toEqual(['late']);
      expect(queue.passes).toBe(2);
      await dispatcher.stop();
    });

    it('does not cut the backoff after a failed dispatch short when woken', async () => {
      const queue = new Queue([request('a')]);
      let attempts = 0;
      const dispatcher = await running(queue, async () => {
        attempts++;
        throw new Error('temporal unavailable');
      }, HOUR);
      expect(attempts).toBe(1);
      queue.commit(request('b'));
      await settle();
      expect(attempts).toBe(1);
      expect(queue.passes).toBe(1);
      await dispatcher.stop();
    });
  });
});

describe('requestWorkflowId', () => {
  it('passes a formed id through, makes an id that cannot be formed poison, and any other failure stays what it was', () => {
    expect(requestWorkflowId(() => 'tasks:expansion:t1:e1')).toBe('tasks:expansion:t1:e1');
    const poison = (() => {
      try {
        requestWorkflowId(() => {
          throw new InvalidWorkflowIdError('a b', 'contains a space');
        });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(poison).toBeInstanceOf(PoisonMessageError);
    expect((poison as Error).message).toContain('contains a space');
    expect(() =>
      requestWorkflowId(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});
