import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { evidenceResponseHeaders, notFound, type ObjectStorage } from '@ecc/shared-kernel';
import { LeadsRepository } from '@ecc/screening-data';
import { APP_CONFIG, OBJECT_STORAGE } from '@ecc/platform-nest';
import { toLeadView } from './lead-view';
import type { LeadView } from './leads.schema';

/** One lead with its detections and evidence; each evidence item carries a short-lived presigned GET URL. */
@Injectable()
export class GetLeadUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly leads: LeadsRepository,
  ) {}

  async execute(id: string): Promise<LeadView> {
    const lead = await this.leads.findById(id);
    if (!lead) throw notFound('lead', id);
    // One URL per object (content-addressed: rows may share it), answering with its recorded type.
    const objects = new Map(
      lead.detections.flatMap((d) => d.detection.evidence.map((e) => [e.key, e] as const)),
    );
    const ttl = this.config.intake.evidenceUrlTtlSeconds;
    const urls = new Map(
      await Promise.all(
        [...objects].map(
          async ([key, e]) =>
            [
              key,
              await this.storage.presignedGetUrl(key, ttl, evidenceResponseHeaders(e.contentType, e.sha256)),
            ] as const,
        ),
      ),
    );
    return toLeadView(lead, (key) => urls.get(key));
  }
}
