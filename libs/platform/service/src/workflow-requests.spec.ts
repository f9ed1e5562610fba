import type { Logger } from '@projectflo/platform/logging';
import { type PendingWorkflowRequest, RequestDispatcher, type WorkflowRequestQueue } from './workflow-requests';

const NOW = new Date('2026-06-01T10:00:00Z');
const logger = { warn: () => undefined } as unknown as Logger;

class Queue implements WorkflowRequestQueue<string> {
  readonly done_: string[] = [];
  readonly postponed: { id: string; at: Date; error: string }[] = [];
  constructor(readonly pending: PendingWorkflowRequest<string>[]) {}
  async due(_now: Date, limit: number) {
    return this.pending.filter((r) => !this.done_.includes(r.workflowId)).slice(0, limit);
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
});
