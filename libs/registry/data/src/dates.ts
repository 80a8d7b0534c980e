import type { IsoDate } from '@ecc/shared-kernel';

/** A calendar date as Postgres `date` through Prisma (midnight UTC) and back. */
export const dateColumn = (date: IsoDate): Date => new Date(`${date}T00:00:00Z`);
export const isoDateOf = (date: Date): IsoDate => date.toISOString().slice(0, 10);
export const isoDateOrNull = (date: Date | null): IsoDate | null => (date ? isoDateOf(date) : null);
export const dateColumnOrNull = (date: IsoDate | null | undefined): Date | null =>
  date ? dateColumn(date) : null;
