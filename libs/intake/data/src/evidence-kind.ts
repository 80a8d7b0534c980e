import type { EvidenceKind } from '@ecc/intake-domain';
import type { EvidenceKind as StoredEvidenceKind } from '@ecc/shared-data';

/** The protocol's evidence kinds and the stored vocabulary (shared with case evidence). */
const TO_STORED: Record<EvidenceKind, StoredEvidenceKind> = {
  plate_front: 'front_plate',
  plate_rear: 'rear_plate',
  side: 'side_view',
  video: 'video',
  other: 'other',
};

const FROM_STORED: Partial<Record<StoredEvidenceKind, EvidenceKind>> = Object.fromEntries(
  Object.entries(TO_STORED).map(([k, v]) => [v, k as EvidenceKind]),
);

export const toStoredEvidenceKind = (kind: EvidenceKind): StoredEvidenceKind => TO_STORED[kind];

/** `document_scan` (case evidence) has no protocol kind: it is reported as `other`. */
export const fromStoredEvidenceKind = (kind: StoredEvidenceKind): EvidenceKind =>
  FROM_STORED[kind] ?? 'other';
