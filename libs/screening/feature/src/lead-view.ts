import type { LeadRecord } from '@ecc/screening-data';
import { evidenceKindOf } from '@ecc/screening-data';
import type { LeadView } from './leads.schema';

type Basis = { basis?: { code: string; article: string }[] } | null;

/** A lead as the API shows it; evidence URLs are made by the caller (they expire). */
export function toLeadView(
  lead: LeadRecord,
  urlOf: (key: string) => string | undefined = () => undefined,
): LeadView {
  const detections = lead.detections
    .map((d) => d.detection)
    .sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime());
  return {
    id: lead.id,
    status: lead.status,
    plate: lead.plate,
    plateColour: lead.plateColour,
    stationCode: lead.station.code,
    detectedAt: lead.violationAt.toISOString(),
    axleCount: lead.axleCount,
    grossKg: lead.grossMassKg,
    limitKg: lead.limitKg,
    toleranceKg: lead.toleranceKg,
    excessKg: lead.excessKg,
    proposedPenalty: {
      kind: lead.proposedPenaltyKind === 'fine' ? 'fine' : 'warning',
      amountYuan: lead.proposedAmount === null ? 0 : Number(lead.proposedAmount),
      basis: ((lead.proposedBasis as Basis)?.basis ?? []).map((b) => ({ code: b.code, article: b.article })),
    },
    rules: Array.isArray(lead.rules) ? (lead.rules as LeadView['rules']) : [],
    vehicleId: lead.vehicleId,
    ownerUnknown: lead.ownerUnknown,
    evidence: detections.flatMap((d) =>
      d.evidence.map((e) => ({
        detectionId: d.id,
        kind: evidenceKindOf(e.kind),
        sha256: e.sha256.trim(),
        size: Number(e.sizeBytes),
        contentType: e.contentType,
        url: urlOf(e.key) ?? '',
      })),
    ),
    detections: detections.map((d) => ({
      id: d.id,
      stationDetectionId: d.stationDetectionId,
      detectedAt: d.detectedAt.toISOString(),
      lane: d.laneNo,
      axleCount: d.axleCount,
      grossKg: d.grossMassKg,
    })),
    createdAt: lead.createdAt.toISOString(),
  };
}
