import { normalisePlate } from '@ecc/shared-kernel';
import type { Plate } from './screening.types';

export interface TripDetection {
  stationCode: string;
  plate: Plate | null;
  detectedAt: Date;
}

/** What collapsing needs to know of an open lead. */
export interface LeadTrip {
  id: string;
  stationCode: string;
  plate: Plate;
  /** The lead's first detection: the window is anchored there, so a lead never spans more than one window. */
  firstDetectedAt: Date;
}

/**
 * Whether a detection is the same trip as an existing lead (duplicate trips collapsed; policy
 * window, default 10 minutes): same station, same plate number and colour (the same number in another colour
 * is another vehicle), detected within the window of the lead's first detection, before or after it
 * (records may arrive out of order). An unreadable plate never joins.
 */
export function joinsLead(
  detection: TripDetection,
  lead: LeadTrip,
  policy: { duplicateWindowMinutes: number },
): boolean {
  if (!detection.plate) return false;
  return (
    detection.stationCode === lead.stationCode &&
    normalisePlate(detection.plate.number) === normalisePlate(lead.plate.number) &&
    detection.plate.color === lead.plate.color &&
    Math.abs(detection.detectedAt.getTime() - lead.firstDetectedAt.getTime()) <=
      policy.duplicateWindowMinutes * 60_000
  );
}

/** The lead a detection joins: among those it matches, the nearest in time (the earlier on a tie); else null. */
export function findLeadToJoin<L extends LeadTrip>(
  detection: TripDetection,
  leads: readonly L[],
  policy: { duplicateWindowMinutes: number },
): L | null {
  const distance = (l: LeadTrip) => Math.abs(detection.detectedAt.getTime() - l.firstDetectedAt.getTime());
  const candidates = leads
    .filter((l) => joinsLead(detection, l, policy))
    .sort((a, b) => distance(a) - distance(b) || a.firstDetectedAt.getTime() - b.firstDetectedAt.getTime());
  return candidates[0] ?? null;
}
