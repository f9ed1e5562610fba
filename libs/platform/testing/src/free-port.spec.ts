import { createServer } from 'node:net';
import { freePort, portAllocator } from './free-port';

describe('portAllocator', () => {
  it('looks again when the kernel offers a port it handed out before', async () => {
    const offers = [41_000, 41_000, 41_000, 41_001];
    const allocate = portAllocator(async () => offers.shift()!);
    expect(await allocate()).toBe(41_000);
    expect(await allocate()).toBe(41_001);
    expect(offers).toEqual([]);
  });

  it('gives up after a bounded number of looks', async () => {
    const allocate = portAllocator(async () => 41_000);
    await allocate();
    await expect(allocate()).rejects.toThrow(/after 20 looks/);
  });
});

describe('freePort', () => {
  it('hands out a port that can be bound', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
