import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, for an outage that only the code under test
 * sees: `cut()` drops every open connection and refuses new ones (ECONNREFUSED), `restore()`
 * accepts them again on the same port. The real server keeps running for everyone else.
 */
export class TcpProxy {
  private server: Server | undefined;
  private listeningPort = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly target: { readonly host: string; readonly port: number }) {}

  /** A proxy on a free loopback port, forwarding to `target`. */
  static async start(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** Drops every connection and stops listening: clients see their connections end and new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepts connections again, on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  close(): Promise<void> {
    return this.cut();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((client) => this.pipe(client));
      server.once('error', reject);
      server.listen(this.listeningPort, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) this.listeningPort = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }
}
