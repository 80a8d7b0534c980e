import type { Prisma } from '@ecc/shared-data';

/**
 * A screened lead as Prisma create data, for integration specs that write through Prisma: six axles, 52,340 kg
 * on a 49,000 kg limit, 722 kg over after the tolerance (a warning). `fields` override any of it.
 */
export const leadRowData = (
  stationId: string,
  fields: Partial<Prisma.LeadUncheckedCreateInput> = {},
): Prisma.LeadUncheckedCreateInput => ({
  status: 'confirmed',
  stationId,
  plate: '湘F12345',
  plateColour: 'yellow',
  violationAt: new Date('2026-11-27T14:05:00Z'),
  axleCount: 6,
  grossMassKg: 52_340,
  limitKg: 49_000,
  toleranceKg: 2_618,
  excessKg: 722,
  proposedPenaltyKind: 'warning',
  proposedBasis: {},
  rules: [],
  ...fields,
});
