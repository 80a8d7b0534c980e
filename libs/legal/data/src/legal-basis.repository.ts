import type { IsoDate } from '@ecc/shared-kernel';
import type { LegalArticle } from '@ecc/legal-domain';
import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';

export interface LegalBasisRecord extends LegalArticle {
  id: string;
}

const day = (d: Date): IsoDate => d.toISOString().slice(0, 10);
const dbDay = (d: IsoDate): Date => new Date(`${d}T00:00:00Z`);

type Row = Prisma.LegalBasisGetPayload<object>;

function toRecord(row: Row): LegalBasisRecord {
  const fine =
    row.minAmount !== null && row.maxAmount !== null
      ? { minYuan: Number(row.minAmount), maxYuan: Number(row.maxAmount) }
      : undefined;
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    instrument: row.instrument,
    article: row.article,
    text: row.text,
    validFrom: day(row.validFrom),
    validTo: row.validTo ? day(row.validTo) : null,
    role: row.role,
    violationTypes: row.violationTypes,
    penalty: row.penaltyKinds.length
      ? { kinds: row.penaltyKinds, ...(fine ? { fineYuan: fine } : {}) }
      : null,
  };
}

function toData(article: LegalArticle) {
  return {
    code: article.code,
    title: article.title,
    instrument: article.instrument,
    article: article.article,
    text: article.text,
    validFrom: dbDay(article.validFrom),
    validTo: article.validTo ? dbDay(article.validTo) : null,
    role: article.role,
    violationTypes: article.violationTypes,
    penaltyKinds: article.penalty?.kinds ?? [],
    minAmount: article.penalty?.fineYuan ? new Prisma.Decimal(article.penalty.fineYuan.minYuan) : null,
    maxAmount: article.penalty?.fineYuan ? new Prisma.Decimal(article.penalty.fineYuan.maxYuan) : null,
  };
}

/** The legal-basis catalogue (法律依据库) in Postgres: every version of every provision the system cites. */
export class LegalBasisRepository {
  constructor(private readonly db: PrismaClient) {}

  async list(filter: { code?: string; inForceOn?: IsoDate } = {}): Promise<LegalBasisRecord[]> {
    const on = filter.inForceOn ? dbDay(filter.inForceOn) : undefined;
    const rows = await this.db.legalBasis.findMany({
      where: {
        ...(filter.code ? { code: filter.code } : {}),
        ...(on ? { validFrom: { lte: on }, OR: [{ validTo: null }, { validTo: { gte: on } }] } : {}),
      },
      orderBy: [{ code: 'asc' }, { validFrom: 'asc' }],
    });
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<LegalBasisRecord | null> {
    const row = await this.db.legalBasis.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async exists(tx: Tx, code: string, validFrom: IsoDate): Promise<boolean> {
    return (await tx.legalBasis.count({ where: { code, validFrom: dbDay(validFrom) } })) > 0;
  }

  async create(tx: Tx, article: LegalArticle): Promise<LegalBasisRecord> {
    return toRecord(await tx.legalBasis.create({ data: toData(article) }));
  }

  /** Ends a version: the last day it is in force. */
  async setValidTo(tx: Tx, id: string, validTo: IsoDate | null): Promise<LegalBasisRecord> {
    return toRecord(
      await tx.legalBasis.update({ where: { id }, data: { validTo: validTo ? dbDay(validTo) : null } }),
    );
  }

  /** Versions of the built-in catalogue not yet in the table (by code and first day in force). */
  async missing(tx: Tx, articles: readonly LegalArticle[]): Promise<LegalArticle[]> {
    const rows = await tx.legalBasis.findMany({ select: { code: true, validFrom: true } });
    const present = new Set(rows.map((r) => `${r.code}@${day(r.validFrom)}`));
    return articles.filter((a) => !present.has(`${a.code}@${a.validFrom}`));
  }
}
