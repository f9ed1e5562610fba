import { createServer } from 'node:net';

/** One loopback port nothing listens on right now (the kernel's pick for port 0). */
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

const MAX_LOOKS = 20;

/**
 * Hands out ports that `lookup` finds free, never the same one twice: the kernel may offer a
 * just-closed port again before the one it was handed to binds it (two services of one test were
 * once given the same port, and one of them failed to bind it).
 */
export function portAllocator(lookup: () => Promise<number> = unusedPort): () => Promise<number> {
  const handedOut = new Set<number>();
  return async () => {
    for (let look = 0; look < MAX_LOOKS; look++) {
      const port = await lookup();
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new Error(`no port that was not handed out already after ${MAX_LOOKS} looks`);
  };
}

/** A loopback port nothing listens on right now and that this process has not handed out before. */
export const freePort: () => Promise<number> = portAllocator();
