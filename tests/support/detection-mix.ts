import { createHash, randomBytes } from 'node:crypto';

/**
 * Detection bodies of the station protocol (issue 3) in a realistic mix, for the benchmark and the
 * crash-safety test: axle configurations 2-6 with their Art. 3 limits, about 5% over the limit after the
 * default 5% tolerance, and a few records screening must call invalid. Deterministic for a given seed.
 */

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its printed seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AxleConfig {
  axleCount: number;
  combination: boolean;
  singleDriveAxle: boolean;
  /** Art. 3 gross-mass limit of this configuration (超限运输车辆行驶公路管理规定 Art. 3). */
  limitKg: number;
  /** Share of real traffic, roughly. */
  weight: number;
}

export const AXLE_CONFIGS: readonly AxleConfig[] = [
  { axleCount: 2, combination: false, singleDriveAxle: false, limitKg: 18_000, weight: 30 },
  { axleCount: 3, combination: false, singleDriveAxle: false, limitKg: 25_000, weight: 12 },
  { axleCount: 3, combination: true, singleDriveAxle: false, limitKg: 27_000, weight: 5 },
  { axleCount: 4, combination: false, singleDriveAxle: false, limitKg: 31_000, weight: 10 },
  { axleCount: 4, combination: true, singleDriveAxle: false, limitKg: 36_000, weight: 5 },
  { axleCount: 5, combination: true, singleDriveAxle: false, limitKg: 43_000, weight: 8 },
  { axleCount: 6, combination: true, singleDriveAxle: false, limitKg: 49_000, weight: 25 },
  { axleCount: 6, combination: true, singleDriveAxle: true, limitKg: 46_000, weight: 5 },
];

export type EvidenceKindName = 'plate_front' | 'plate_rear' | 'side' | 'video' | 'other';

export interface EvidenceItem {
  kind: EvidenceKindName;
  contentType: string;
  sha256: string;
  data: string;
}

export interface DetectionBody {
  detectionId: string;
  deviceCode: string;
  detectedAt: string;
  lane: number;
  plate: { number: string; color: 'blue' | 'yellow' | 'green' | 'yellow_green' | 'white' | 'black' };
  trailerPlate?: string;
  vehicle: {
    axleCount: number;
    combination: boolean;
    singleDriveAxle: boolean;
    singleTyreAxles: number;
    lengthMm: number;
    widthMm: number;
    heightMm: number;
  };
  weighing: { grossKg: number; axleLoadsKg: number[]; speedKmh: number };
  evidence?: EvidenceItem[];
}

/** What the generator meant a body to be, so tests can compare the screening with their own reckoning. */
export type Intent = 'within' | 'over' | 'over_with_permit' | 'axle_loads_inconsistent' | 'unapproved_device';

/** A plate matching the default readable-plate pattern: 湘 + issuing letter + 5 digits. */
export function plateNumber(n: number): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return `湘${letters[Math.floor(n / 100_000) % letters.length]}${String(n % 100_000).padStart(5, '0')}`;
}

/** Splits a gross mass over the axles so that the loads add up to it exactly. */
export function axleLoads(grossKg: number, axleCount: number, random: () => number): number[] {
  const shares = Array.from({ length: axleCount }, (_, i) => (i === 0 ? 0.7 : 1) + random() * 0.2);
  const total = shares.reduce((a, b) => a + b, 0);
  const loads = shares.map((s) => Math.floor((grossKg * s) / total));
  loads[loads.length - 1]! += grossKg - loads.reduce((a, b) => a + b, 0);
  return loads;
}

/** Gross mass whose excess after the 5% tolerance is `excessKg` (positive: over the limit). */
export function grossForExcess(limitKg: number, excessKg: number): number {
  // excess = gross − ceil(5% × gross) − limit (the domain rounds the tolerance up): the smallest such gross.
  const excessOf = (g: number) => g - Math.ceil((g * 500) / 10_000) - limitKg;
  let gross = Math.floor((limitKg + excessKg) / 0.95);
  while (excessOf(gross) < excessKg) gross++;
  return gross;
}

export interface MixOptions {
  seed: number;
  /** Prefix of every detectionId, unique per run. */
  idPrefix: string;
  /** Device codes: the approved weigh-in-motion device, and one lacking its Art. 41 approval. */
  device: string;
  unapprovedDevice: string;
  /** Plates holding a permit (maxGrossKg far above any mass). */
  permitPlates: readonly string[];
  /** Size of the plate pool; repeated plates are what makes duplicate trips possible. */
  plateCount: number;
  /** Shares of the mix; the rest is within the limit. */
  overShare?: number;
  invalidShare?: number;
  /** The detection time of the n-th body. */
  detectedAt: (n: number) => Date;
  /** Evidence for the n-th body (none when absent). */
  evidence?: (n: number) => EvidenceItem[];
}

/** ISO time with the +08:00 offset stations send (Asia/Shanghai). */
export function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

export function pickAxleConfig(random: () => number): AxleConfig {
  const total = AXLE_CONFIGS.reduce((a, c) => a + c.weight, 0);
  let r = random() * total;
  for (const config of AXLE_CONFIGS) {
    r -= config.weight;
    if (r < 0) return config;
  }
  return AXLE_CONFIGS[0]!;
}

export interface BodyShape {
  config: AxleConfig;
  grossKg: number;
  plate: string;
  intent: Intent;
}

/** One body of the mix; the n-th body of a given seed is always the same (apart from evidence bytes). */
export function mixedDetection(n: number, options: MixOptions): { body: DetectionBody; intent: Intent } {
  const random = prng(options.seed * 1_000_003 + n);
  const config = pickAxleConfig(random);
  const over = options.overShare ?? 0.05;
  const invalid = options.invalidShare ?? 0.02;
  const roll = random();
  let intent: Intent;
  if (roll < invalid / 2) intent = 'axle_loads_inconsistent';
  else if (roll < invalid) intent = 'unapproved_device';
  else if (roll < invalid + over) intent = random() < 0.2 ? 'over_with_permit' : 'over';
  else intent = 'within';

  const grossKg =
    intent === 'over' || intent === 'over_with_permit'
      ? grossForExcess(config.limitKg, 1 + Math.floor(random() * 12_000))
      : Math.round(config.limitKg * (0.45 + random() * 0.5));
  const plate =
    intent === 'over_with_permit' && options.permitPlates.length > 0
      ? options.permitPlates[Math.floor(random() * options.permitPlates.length)]!
      : plateNumber(Math.floor(random() * options.plateCount));
  const loads = axleLoads(grossKg, config.axleCount, random);
  // 20% off: well outside the default 5% band of the axle-load check.
  if (intent === 'axle_loads_inconsistent') loads[0] = loads[0]! + Math.round(grossKg * 0.2);

  const body: DetectionBody = {
    detectionId: `${options.idPrefix}-${n}`,
    deviceCode: intent === 'unapproved_device' ? options.unapprovedDevice : options.device,
    detectedAt: chinaTime(options.detectedAt(n)),
    lane: 1 + Math.floor(random() * 3),
    plate: { number: plate, color: config.axleCount === 2 ? 'blue' : 'yellow' },
    vehicle: {
      axleCount: config.axleCount,
      combination: config.combination,
      singleDriveAxle: config.singleDriveAxle,
      singleTyreAxles: 0,
      lengthMm: config.combination ? 16_000 + Math.floor(random() * 1_500) : 9_000,
      widthMm: 2_500,
      heightMm: 3_600 + Math.floor(random() * 350),
    },
    weighing: { grossKg, axleLoadsKg: loads, speedKmh: Math.round((40 + random() * 40) * 10) / 10 },
  };
  if (config.combination) body.trailerPlate = `${plate.slice(0, 2)}${plate.slice(3)}挂`;
  const evidence = options.evidence?.(n);
  if (evidence) body.evidence = evidence;
  return { body, intent };
}

/** A JPEG-looking buffer (start and end markers) of the given size, random in between. */
export function jpegLike(bytes: number): Buffer {
  const data = randomBytes(bytes);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(data, 0);
  Buffer.from([0xff, 0xd9]).copy(data, bytes - 2);
  return data;
}

/**
 * An evidence item whose bytes are unique (storage cannot deduplicate them) and match their sha256; from a
 * template (a copy with 16 fresh bytes after the JPEG marker) when many are needed fast.
 */
export function evidenceItem(kind: EvidenceKindName, bytes: number, template?: Buffer): EvidenceItem {
  const data = template ? Buffer.from(template) : jpegLike(bytes);
  randomBytes(16).copy(data, 4);
  return {
    kind,
    contentType: 'image/jpeg',
    sha256: createHash('sha256').update(data).digest('hex'),
    data: data.toString('base64'),
  };
}

/** The three images the default policy requires (front plate, rear plate, side view). */
export function requiredEvidence(bytes: number, template?: Buffer): EvidenceItem[] {
  return (['plate_front', 'plate_rear', 'side'] as const).map((kind) => evidenceItem(kind, bytes, template));
}
