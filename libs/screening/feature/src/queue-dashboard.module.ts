import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import { QUEUE_NAMES } from '@ecc/shared-queues';
import { problem, QueueProducer, sendProblem, TokenService, toProblem } from '@ecc/platform-nest';

/** Where the dashboard lives, under the API's prefix. */
export const QUEUE_DASHBOARD_PATH = '/api/v1/admin/queues';

/**
 * The queue dashboard (bull-board) for admins: waiting, active, failed jobs of every declared queue, with
 * their errors. It is a Fastify plugin outside Nest's router, so Nest's guard does not see it; an onRequest
 * hook on its prefix checks the bearer token and the admin role instead, answering in problem+json.
 */
@Module({})
export class QueueDashboardModule implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    private readonly producer: QueueProducer,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  onModuleInit(): void {
    const board = new FastifyAdapter();
    createBullBoard({
      queues: QUEUE_NAMES.map((name) => new BullMQAdapter(this.producer.queue(name) as never)),
      // @bull-board/fastify pins its own patch release of @bull-board/api: same shape, separate declarations.
      serverAdapter: board as never,
      options: { uiConfig: { boardTitle: '办案中心 队列' } },
    });
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    // Not awaited: awaiting would make Fastify load the routes Nest registered so far before Nest installs its
    // error handler (after this hook), and their errors would no longer become problem+json.
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', (request, reply) => this.onlyAdmins(request, reply));
      await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    });
  }

  private async onlyAdmins(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const deny = (body: ReturnType<typeof problem>) => {
      sendProblem(reply, { ...body, instance: request.url.split('?')[0] });
      return reply;
    };
    if (!match) {
      return deny(
        problem(401, 'missing_token', 'an Authorization: Bearer token is required', {
          requestId: String(request.id),
        }),
      );
    }
    try {
      const actor = await this.tokens.verify(match[1]!);
      if (actor.kind !== 'user' || !actor.roles.includes('admin')) {
        throw new DomainError('forbidden', 'role_not_allowed', 'the queue dashboard is for admins');
      }
      request.actor = actor;
      return undefined;
    } catch (error) {
      return deny(toProblem(error, String(request.id)));
    }
  }
}
