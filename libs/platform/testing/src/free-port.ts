import { createServer } from 'node:net';

/** Ports this process has handed out: the kernel may offer a just-closed port again before its taker binds it. */
const handedOut = new Set<number>();
const MAX_LOOKS = 20;

/** One loopback port nothing listens on right now. */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * A loopback port nothing listens on right now and that this process has not handed out before
 * (two services of one test were once given the same port, and one of them failed to bind it).
 */
export async function freePort(): Promise<number> {
  for (let look = 0; look < MAX_LOOKS; look++) {
    const port = await unusedPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no loopback port this process has not handed out already after ${MAX_LOOKS} looks`);
}
