import { SetMetadata } from '@nestjs/common';
import type { JobDefinition } from '@ecc/shared-queues';

export const JOB_HANDLER = 'ecc:job-handler';

/**
 * Marks a provider method as the handler of a declared job. The method receives the validated payload
 * and the BullMQ job; the same use case a controller calls does the work.
 */
export const JobHandler = (job: JobDefinition) => SetMetadata(JOB_HANDLER, job);
