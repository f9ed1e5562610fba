import { OpenSubscriptions } from './open-subscriptions';

class Counted {
  closes = 0;
  async close(): Promise<void> {
    this.closes += 1;
  }
}

describe('OpenSubscriptions', () => {
  it('forgets a subscription once its handle closed it, and closes only the open ones at the end', async () => {
    const open = new OpenSubscriptions<Counted>();
    const first = new Counted();
    const second = new Counted();
    const firstHandle = open.track(first);
    open.track(second);
    expect([...open]).toEqual([first, second]);

    await firstHandle.close();
    expect([...open]).toEqual([second]);

    await open.closeAll();
    expect([first.closes, second.closes]).toEqual([1, 1]);
    expect([...open]).toEqual([]);
  });
});
