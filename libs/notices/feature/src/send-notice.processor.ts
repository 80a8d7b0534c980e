import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '@ecc/platform-nest';
import { JOBS, type PayloadOf } from '@ecc/shared-queues';
import { SendNoticeUseCase, type SendReport } from './send-notice.use-case';

/** The worker's handler of `notices/send-notice`, for both channels (SMS and push). */
@Injectable()
export class SendNoticeProcessor {
  constructor(private readonly sendNotice: SendNoticeUseCase) {}

  @JobHandler(JOBS.sendNotice)
  async handle(payload: PayloadOf<typeof JOBS.sendNotice>, job: Job): Promise<SendReport> {
    // attemptsMade counts the failed tries before this one.
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.sendNotice.execute(payload.noticeId, finalAttempt);
  }
}
