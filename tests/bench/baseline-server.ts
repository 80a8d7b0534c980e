import Fastify from 'fastify';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Ceiling (a) of TOOLCHAIN.md: a bare Fastify route validating the detection body with zod and enqueueing
 * it with BullMQ's `queue.add` — what our intake costs without signature, Postgres and outbox. Run by the
 * benchmark as its own process, like the API; not product code.
 */
const plate = z.strictObject({
  number: z.string().min(1).max(16),
  color: z.enum(['blue', 'yellow', 'green', 'yellow_green', 'white', 'black']),
});
const body = z.strictObject({
  detectionId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  deviceCode: z.string().min(1).max(64),
  detectedAt: z.iso.datetime({ offset: true }),
  lane: z.number().int().min(0).max(20),
  plate,
  trailerPlate: z.string().max(16).optional(),
  vehicle: z.strictObject({
    axleCount: z.number().int().min(2).max(12),
    combination: z.boolean(),
    singleDriveAxle: z.boolean(),
    singleTyreAxles: z.number().int().min(0),
    lengthMm: z.number().int().positive(),
    widthMm: z.number().int().positive(),
    heightMm: z.number().int().positive(),
  }),
  weighing: z.strictObject({
    grossKg: z.number().int().positive().max(200_000),
    axleLoadsKg: z.array(z.number().int().positive()).max(12),
    speedKmh: z.number().min(0).max(200),
  }),
});

async function main(): Promise<void> {
  const connection = new Redis(process.env['REDIS_URL']!, { maxRetriesPerRequest: null });
  const queue = new Queue('baseline', { connection, prefix: process.env['QUEUE_PREFIX']! });
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.post('/detections', async (request, reply) => {
    const parsed = body.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ errors: parsed.error.issues.length });
    await queue.add(
      'screen',
      { detectionId: parsed.data.detectionId },
      { jobId: parsed.data.detectionId, removeOnComplete: true },
    );
    return reply.code(202).send({ detectionId: parsed.data.detectionId, status: 'accepted' });
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT']) });
  console.log('ready');
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => queue.close())
      .then(() => connection.quit())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
