/**
 * The kinds of evidence, one vocabulary from the station to the case file: the values of the Prisma enum
 * `evidence_kind`. A station sends the first five (the station protocol, docs/station-integration.md — a
 * contract with the device vendors); `document_scan` is an officer's scan added to a case.
 */
export const STATION_EVIDENCE_KINDS = [
  'plate_front', // 车头号牌照片
  'plate_rear', // 车尾号牌照片
  'side', // 车身侧面照片（显示轴数）
  'video', // 过车视频
  'other',
] as const;
export type StationEvidenceKind = (typeof STATION_EVIDENCE_KINDS)[number];

export const EVIDENCE_KINDS = [
  'plate_front',
  'plate_rear',
  'side',
  'video',
  'document_scan', // 证件扫描件 (case evidence)
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const isStationEvidenceKind = (kind: string): kind is StationEvidenceKind =>
  (STATION_EVIDENCE_KINDS as readonly string[]).includes(kind);

/** A stored kind as the station protocol reports it: a document scan has no protocol kind and is `other`. */
export const stationEvidenceKindOf = (kind: string): StationEvidenceKind =>
  isStationEvidenceKind(kind) ? kind : 'other';
