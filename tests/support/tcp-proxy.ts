import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a dependency (Postgres, Redis, the S3 server) that a test can break the way a network
 * or a stalled server breaks: `cut()` drops every connection and refuses new ones (a dead server), `stall()`
 * keeps the connections open but forwards nothing more in the chosen direction (a frozen server: the kernel
 * still accepts, nobody answers), `restore()` heals it. A stalled `'answers'` direction lets requests reach the
 * server and lose only their answers: the server commits, the client times out.
 */
export class TcpProxy {
  private server?: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private refusing = false;
  private stalled: 'none' | 'answers' | 'both' = 'none';

  constructor(
    private readonly target: { host: string; port: number },
    private readonly listenPort = 0,
  ) {}

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** The target URL with its host and port replaced by the proxy's. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(this.listenPort, '127.0.0.1', resolve));
    return this;
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk: Buffer) => {
      if (this.stalled !== 'both') upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.stalled === 'none') client.write(chunk);
    });
  }

  /**
   * Every connection dropped, new ones refused (closed at once), until `restore()`. `reset`: the clients' connections
   * are reset (RST, as by a crashed peer: ECONNRESET) rather than closed.
   */
  cut(options: { reset?: boolean } = {}): void {
    this.refusing = true;
    for (const { client, upstream } of this.pairs) {
      if (options.reset) client.resetAndDestroy();
      else client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /**
   * Connections stay open and new ones are accepted, but nothing more is forwarded: `'both'` ways (a frozen
   * server) or only the server's `'answers'` (what the client sends still arrives). What is held back is lost.
   */
  stall(direction: 'answers' | 'both' = 'both'): void {
    this.stalled = direction;
  }

  /** Forwards again; connections that lost bytes while stalled are dropped (their protocol state is broken). */
  restore(): void {
    const broken = this.stalled !== 'none';
    this.refusing = false;
    this.stalled = 'none';
    if (broken) {
      for (const { client, upstream } of this.pairs) {
        client.destroy();
        upstream.destroy();
      }
      this.pairs.clear();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
