import { Injectable, Optional, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { interceptionFrame } from '@ecc/fences-domain';
import { LiveSessions } from '@ecc/platform-nest';
import { FenceBus } from './fence-bus';

export const HEARTBEAT_MS = 15_000;

/**
 * The duty team's live feed (`GET /alerts/stream`): every alert published on Redis — by this API or any
 * other instance — is written to each open stream of this instance as `event: interception`. A comment line
 * every 15 s keeps proxies from closing an idle stream.
 */
@Injectable()
export class AlertStream implements OnModuleInit, BeforeApplicationShutdown {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly bus: FenceBus,
    // Ends the stream of a user who is disabled or signs out (absent in unit tests without HTTP).
    @Optional() private readonly sessions?: LiveSessions,
  ) {}

  onModuleInit(): void {
    this.bus.onAlert((alert) => this.broadcast(interceptionFrame(alert)));
    this.heartbeat = setInterval(
      () => this.broadcast(`: heartbeat ${new Date().toISOString()}\n\n`),
      HEARTBEAT_MS,
    );
    this.heartbeat.unref();
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    this.sessions?.closeWhenRevoked(res);
  }

  get size(): number {
    return this.clients.size;
  }

  private broadcast(frame: string): void {
    for (const res of this.clients) {
      if (res.writableEnded || res.destroyed) this.clients.delete(res);
      else res.write(frame);
    }
  }

  /** Before the HTTP server closes: it would otherwise wait for these never-ending responses. */
  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
