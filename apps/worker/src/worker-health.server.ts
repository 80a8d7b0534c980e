import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import {
  answerScrape,
  APP_CONFIG,
  collectProcessMetrics,
  PRISMA,
  readiness,
  readinessChecks,
  REDIS,
  type RedisConnection,
} from '@ecc/platform-nest';

/**
 * A small port for orchestrators: GET /health/live and /health/ready (Postgres and Redis reachable), answered
 * within 2 s whatever state they are in (the probes of the API's readiness), and GET /metrics for Prometheus
 * (bearer METRICS_TOKEN; the worker's counters and the gauges of the database and the queues).
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.worker.healthPort === 0 && this.config.env === 'test') return;
    collectProcessMetrics();
    this.server = createServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.url === '/health/live') return reply(200, { status: 'up' });
      if (req.url === '/metrics' && req.method === 'GET') {
        answerScrape(req.headers.authorization, this.config.metrics.token).then(
          (answer) => res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body),
          (error: Error) => reply(500, { status: 500, error: error.message }),
        );
        return;
      }
      if (req.url === '/health/ready') {
        readiness({
          database: readinessChecks.database(this.prisma),
          redis: readinessChecks.redis(this.redis),
        }).then(
          ({ ready, checks }) => reply(ready ? 200 : 503, { status: ready ? 'up' : 'down', checks }),
          (error: Error) => reply(503, { status: 'down', error: error.message }),
        );
        return;
      }
      reply(404, { status: 404 });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(this.config.worker.healthPort, this.config.http.host, resolve),
    );
    this.logger.log(`worker health on port ${this.config.worker.healthPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
