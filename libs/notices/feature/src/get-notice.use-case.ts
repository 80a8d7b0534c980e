import { Injectable } from '@nestjs/common';
import { notFound } from '@ecc/shared-kernel';
import { NoticesRepository } from '@ecc/notices-data';
import { toNoticeView } from './notice-view';

@Injectable()
export class GetNoticeUseCase {
  constructor(private readonly notices: NoticesRepository) {}

  async execute(id: string) {
    const notice = await this.notices.get(id);
    if (!notice) throw notFound('notice', id);
    return toNoticeView(notice);
  }
}
