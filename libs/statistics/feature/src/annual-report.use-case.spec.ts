import { DocumentRenderPool } from '@ecc/documents-feature';
import { renderDocument } from '@ecc/documents-pdf';
import type { AppConfig } from '@ecc/shared-config';
import { reportDocument } from './annual-report';
import { AnnualReportUseCase } from './annual-report.use-case';
import type { GetStatisticsUseCase } from './get-statistics.use-case';
import type { Statistics } from './statistics.schema';

jest.setTimeout(60_000);

const statistics: Statistics = {
  period: {
    from: '2025-01-01',
    to: '2025-12-31',
    timeZone: 'Asia/Shanghai',
    start: '2024-12-31T16:00:00.000Z',
    end: '2025-12-31T16:00:00.000Z',
  },
  groupBy: 'caseType',
  generatedAt: '2026-01-05T02:00:00.000Z',
  detectionCounts: 'summary',
  figures: [],
  total: { 'cases.filed': 3, 'cases.decided': 2, 'penalties.fines.amount': 4000 },
  groups: [{ key: 'overload', label: '超限运输', values: { 'cases.filed': 3, 'cases.decided': 2 } }],
  rejectionReasons: [],
};

describe('AnnualReportUseCase.pdf', () => {
  const config = {
    bureau: { name: '汨罗市交通运输局', timeZone: 'Asia/Shanghai' },
    documents: { renderConcurrency: 1 },
  } as unknown as AppConfig;
  const pool = new DocumentRenderPool(config);
  afterAll(() => pool.close());

  it('renders in the render threads, with the bytes of the calling thread', async () => {
    const queries = { execute: jest.fn(async () => statistics) } as unknown as GetStatisticsUseCase;
    const useCase = new AnnualReportUseCase(config, queries, pool);
    const threaded = jest.spyOn(pool, 'renderDocument');

    const pdf = await useCase.pdf(2025);

    expect(threaded).toHaveBeenCalledTimes(1);
    expect(queries.execute).toHaveBeenCalledWith({
      from: '2025-01-01',
      to: '2025-12-31',
      groupBy: 'caseType',
    });
    const inline = await renderDocument(reportDocument(await useCase.report(2025)));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(pdf, inline.pdf)).toBe(0);
  });
});
