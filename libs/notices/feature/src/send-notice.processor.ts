import { Injectable } from '@nestjs/common';
import { JobHandler } from '@ecc/platform-nest';
import { JOBS, type PayloadOf } from '@ecc/shared-queues';
import { SendNoticeUseCase, type SendReport } from './send-notice.use-case';

/**
 * The worker's handler of `notices/send-notice`, for both channels (SMS and push). A provider's failure is
 * no failure of the job: the use case schedules the notice's next attempt itself; the queue's own retries
 * are for the database or Redis being away.
 */
@Injectable()
export class SendNoticeProcessor {
  constructor(private readonly sendNotice: SendNoticeUseCase) {}

  @JobHandler(JOBS.sendNotice)
  async handle(payload: PayloadOf<typeof JOBS.sendNotice>): Promise<SendReport> {
    return this.sendNotice.execute(payload.noticeId);
  }
}
