import {
  localDate,
  normalisePlate,
  PLATE_COLOURS,
  stationEvidenceKindOf,
  type PlateColour,
  type StationEvidenceKind,
} from '@ecc/shared-kernel';
import { type DetectionFacts, type DeviceFacts, type PermitFacts } from '@ecc/screening-domain';

/**
 * Turning stored rows into the facts the pure screening rules take. Dates stored as DATE (certificates,
 * permits, device reviews) are whole local days: they are passed as YYYY-MM-DD so the domain compares them
 * with the bureau's local day of the detection, not with a UTC midnight.
 */

/** A DATE column as Prisma returns it (UTC midnight of the day) → the day itself. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** A stored evidence kind (the one vocabulary of @ecc/shared-kernel) as screening reads it: a scan is `other`. */
export function evidenceKindOf(stored: string): StationEvidenceKind {
  return stationEvidenceKindOf(stored);
}

/** Kinds present as usable evidence: an object whose bytes were found not to match its digest does not count. */
export function evidenceKindsOf(
  rows: readonly { kind: string; integrityStatus: string }[],
): StationEvidenceKind[] {
  return [
    ...new Set(
      rows
        .filter((r) => r.integrityStatus !== 'mismatch' && r.integrityStatus !== 'missing')
        .map((r) => evidenceKindOf(r.kind)),
    ),
  ];
}

export interface DetectionRow {
  id: string;
  stationDetectionId: string;
  plate: string;
  plateColour: string | null;
  detectedAt: Date;
  axleCount: number;
  grossMassKg: number;
  axleLoadsKg: number[];
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  /** The body as the station sent it: the axle configuration beyond the count lives only there. */
  raw: unknown;
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function axlePositions(v: unknown): { wideBaseTyreAxles?: number; wideBaseTyreAxlePositions?: number[] } {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) return {};
  return { wideBaseTyreAxles: v.length, wideBaseTyreAxlePositions: v as number[] };
}

export function detectionFacts(
  row: DetectionRow,
  stationCode: string,
  evidenceKinds: StationEvidenceKind[],
): DetectionFacts {
  const raw = record(row.raw);
  const vehicle = record(raw['vehicle']);
  const colour = (PLATE_COLOURS as readonly string[]).includes(row.plateColour ?? '')
    ? (row.plateColour as PlateColour)
    : null;
  return {
    stationCode,
    detectionId: row.stationDetectionId,
    detectedAt: row.detectedAt,
    // A plate without a colour cannot be matched to a vehicle: the rules treat it as unreadable.
    plate: row.plate && colour ? { number: row.plate, color: colour } : null,
    trailerPlate: text(raw['trailerPlate']) ?? null,
    vehicle: {
      axleCount: row.axleCount,
      // Absent in the record: not a combination; a 6-axle "truck" is then not covered by the table → invalid.
      combination: bool(vehicle['combination']) ?? false,
      singleDriveAxle: bool(vehicle['singleDriveAxle']),
      singleTyreAxles: int(vehicle['singleTyreAxles']),
      // The station names the wide-base tyre axles by position (see the detection schema).
      ...axlePositions(vehicle['wideBaseTyreAxles']),
      lengthMm: row.lengthMm ?? undefined,
      widthMm: row.widthMm ?? undefined,
      heightMm: row.heightMm ?? undefined,
    },
    weighing: { grossKg: row.grossMassKg, axleLoadsKg: row.axleLoadsKg },
    evidenceKinds,
  };
}

export interface DeviceRow {
  code: string;
  accuracyClass: string | null;
  tolerancePercent: { toString(): string } | null;
  legalReviewDate: Date | null;
  technicalReviewDate: Date | null;
  publishedDate: Date | null;
}

export interface CalibrationRow {
  certificateNo: string;
  validFrom: Date;
  validTo: Date;
}

/** A detection naming no known device gets a device with no approval: the rules then make it invalid (Art. 41). */
export function deviceFacts(
  device: DeviceRow | null,
  calibration: CalibrationRow | null,
  claimedCode: string,
): DeviceFacts {
  if (!device) {
    return {
      code: claimedCode,
      legalReviewedAt: null,
      technicalReviewedAt: null,
      publishedAt: null,
      calibration: null,
    };
  }
  const day = (d: Date | null) => (d ? isoDay(d) : null);
  return {
    code: device.code,
    legalReviewedAt: day(device.legalReviewDate),
    technicalReviewedAt: day(device.technicalReviewDate),
    publishedAt: day(device.publishedDate),
    calibration: calibration
      ? {
          certificateNo: calibration.certificateNo,
          validFrom: isoDay(calibration.validFrom),
          validTo: isoDay(calibration.validTo),
        }
      : null,
    accuracyClass: device.accuracyClass,
    tolerance:
      device.tolerancePercent === null
        ? null
        : { kind: 'percent_of_gross', percent: Number(device.tolerancePercent.toString()) },
  };
}

/**
 * The certificate to judge the detection by: one valid on the local day of the detection if any; else the
 * latest that started before it (so the reason names the expired certificate); else null.
 */
export function calibrationFor<C extends CalibrationRow>(
  certificates: readonly C[],
  detectedAt: Date,
  timeZone: string,
): C | null {
  const day = localDate(detectedAt, timeZone);
  const started = certificates
    .filter((c) => isoDay(c.validFrom) <= day)
    .sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime());
  return started.find((c) => day <= isoDay(c.validTo)) ?? started[0] ?? null;
}

export interface PermitRow {
  permitNo: string | null;
  plate: string;
  validFrom: Date;
  validTo: Date;
  maxGrossMassKg: number | null;
}

/** A permit stating no gross mass excuses no weight: it is left out rather than read as "any weight". */
export function permitFacts(rows: readonly PermitRow[]): PermitFacts[] {
  return rows
    .filter((p) => p.maxGrossMassKg !== null)
    .map((p) => ({
      permitNo: p.permitNo ?? undefined,
      plate: p.plate,
      validFrom: isoDay(p.validFrom),
      validTo: isoDay(p.validTo),
      maxGrossKg: p.maxGrossMassKg!,
    }));
}

/** The spellings under which a plate may be stored (as sent, and normalised). */
export function plateSpellings(...plates: (string | null | undefined)[]): string[] {
  return [...new Set(plates.filter((p): p is string => !!p).flatMap((p) => [p, normalisePlate(p)]))];
}
