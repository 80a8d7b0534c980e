import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { sha256Hex } from '../station/signature';
import { PERMIT_PLATE, STATIONS, VEHICLE_KINDS, VEHICLES, type Vehicle } from './county';

/**
 * A day of traffic at the county's stations: the same detections for the same day (ids, times, weights and
 * photographs are derived from the day), so a second run sends exact repeats, which the API answers as
 * duplicates. The overloads come first, one per planned lead (see casework.ts); the rest is compliant traffic.
 */
export interface PlannedDetection {
  stationCode: string;
  body: Record<string, unknown>;
  /** Index into OVERLOADS when the pass is over the limit, else null. */
  overload: number | null;
}

/** The day's overloads, in the order the casework plan uses them: plate and how far over its limit. */
export const OVERLOADS: readonly { plate: string; overPercent: number }[] = [
  { plate: '湘F52071', overPercent: 22 },
  { plate: '湘F52072', overPercent: 31 },
  { plate: '湘F61803', overPercent: 27 },
  { plate: '湘F61804', overPercent: 19 },
  { plate: '湘F33905', overPercent: 35 },
  { plate: '湘F33906', overPercent: 24 },
  { plate: '湘F70207', overPercent: 17 },
  { plate: '湘F70208', overPercent: 28 },
  { plate: '湘F52009', overPercent: 21 },
  { plate: '湘F61810', overPercent: 33 },
  { plate: '湘F33911', overPercent: 26 },
  { plate: '湘F70212', overPercent: 18 },
  { plate: '湘F88013', overPercent: 25 },
  // not in the registry: the lead's owner is unknown (车主信息不明)
  { plate: '湘F9Q317', overPercent: 29 },
];

const COMPLIANT_PASSES = 40;

/** A deterministic stream of numbers in [0, 1) from a seed (the day), so a day's traffic is always the same. */
function randomOf(seed: string): () => number {
  let counter = 0;
  return () => {
    const digest = createHash('sha256').update(`${seed}:${counter++}`).digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A time of `day` (YYYY-MM-DD) in China Standard Time, the bureau's zone: `minute` minutes after midnight. */
const at = (day: string, minute: number, second: number) =>
  `${day}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:${pad(second)}+08:00`;

function vehiclePart(vehicle: Pick<Vehicle, 'kind'>, grossKg: number) {
  const kind = VEHICLE_KINDS[vehicle.kind];
  // The steering axle carries less; the others share the rest (the loads add up to the gross, as a WIM reports).
  const steering = Math.round(grossKg * (kind.axleCount === 2 ? 0.4 : 0.14));
  const rest = grossKg - steering;
  const each = Math.floor(rest / (kind.axleCount - 1));
  const axleLoadsKg = [steering, ...Array.from({ length: kind.axleCount - 1 }, () => each)];
  axleLoadsKg[kind.axleCount - 1]! += rest - each * (kind.axleCount - 1);
  return {
    vehicle: {
      axleCount: kind.axleCount,
      combination: kind.combination,
      singleDriveAxle: false,
      singleTyreAxles: 0,
      lengthMm: kind.combination ? 16_500 : 9_800,
      widthMm: 2_500,
      heightMm: kind.combination ? 3_950 : 3_700,
    },
    weighing: { grossKg, axleLoadsKg },
  };
}

/** The detections of `day` (YYYY-MM-DD, the bureau's), with three photographs each. */
export function dayOfTraffic(day: string): PlannedDetection[] {
  const random = randomOf(`demo-traffic-${day}`);
  const compact = day.replace(/-/g, '');
  const passes: PlannedDetection[] = [];
  const add = (
    stationCode: string,
    plate: string,
    grossKg: number,
    kind: Vehicle['kind'],
    overload: number | null,
  ) => {
    const n = passes.length + 1;
    const detectionId = `${stationCode}-${compact}-${pad(n, 4)}`;
    const minute = 6 * 60 + Math.floor(((n - 1) * (16 * 60)) / (OVERLOADS.length + COMPLIANT_PASSES + 1));
    passes.push({
      stationCode,
      overload,
      body: detectionBody({
        detectionId,
        detectedAt: at(day, minute, Math.floor(random() * 60)),
        lane: 1 + Math.floor(random() * 2),
        plate,
        kind,
        grossKg,
        speedKmh: Math.round((35 + random() * 30) * 10) / 10,
      }),
    });
  };
  const stationOf = (i: number) => STATIONS[i % STATIONS.length]!.code;
  OVERLOADS.forEach(({ plate, overPercent }, i) => {
    const kind = VEHICLES.find((v) => v.plate === plate)?.kind ?? 'combo6';
    add(stationOf(i), plate, Math.round(VEHICLE_KINDS[kind].limitKg * (1 + overPercent / 100)), kind, i);
  });
  const overloaded = new Set(OVERLOADS.map((o) => o.plate));
  const compliant = VEHICLES.filter((v) => !overloaded.has(v.plate) && v.plate !== PERMIT_PLATE);
  for (let i = 0; i < COMPLIANT_PASSES; i++) {
    const vehicle = compliant[i % compliant.length]!;
    const share = 0.55 + random() * 0.35;
    add(
      stationOf(i + 1),
      vehicle.plate,
      Math.round(VEHICLE_KINDS[vehicle.kind].limitKg * share),
      vehicle.kind,
      null,
    );
  }
  // 大件运输: 64 t on a 49 t vehicle, within its permit's 70 t — no violation.
  add(stationOf(0), PERMIT_PLATE, 64_000, 'combo6', null);
  return passes;
}

/** A detection as the station kit sends it, with three photographs. */
function detectionBody(pass: {
  detectionId: string;
  detectedAt: string;
  lane: number;
  plate: string;
  kind: Vehicle['kind'];
  grossKg: number;
  speedKmh: number;
}): Record<string, unknown> {
  const { vehicle, weighing } = vehiclePart({ kind: pass.kind }, pass.grossKg);
  return {
    detectionId: pass.detectionId,
    deviceCode: 'WIM-01',
    detectedAt: pass.detectedAt,
    lane: pass.lane,
    plate: { number: pass.plate, color: 'yellow' },
    vehicle,
    weighing: { ...weighing, speedKmh: pass.speedKmh },
    evidence: ['plate_front', 'plate_rear', 'side'].map((kindOfPhoto) =>
      photo(kindOfPhoto, `${pass.detectionId} ${pass.plate} ${kindOfPhoto}`),
    ),
  };
}

/**
 * The fenced vehicle passing another station now, within its limit (拦截: the plate alone raises the alert).
 * Its id is the day's, so that a repeat after a lost answer is the same detection.
 */
export function fencedVehiclePass(
  day: string,
  plate: string,
  stationCode: string,
  now: Date,
): PlannedDetection {
  const kind = VEHICLES.find((v) => v.plate === plate)?.kind ?? 'combo6';
  return {
    stationCode,
    overload: null,
    body: detectionBody({
      detectionId: `${stationCode}-${day.replace(/-/g, '')}-F001`,
      detectedAt: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(),
      lane: 1,
      plate,
      kind,
      grossKg: Math.round(VEHICLE_KINDS[kind].limitKg * 0.8),
      speedKmh: 52.5,
    }),
  };
}

/** An evidence item: a small PNG picture whose text chunk names the detection, so that each one is distinct. */
function photo(kind: string, caption: string) {
  const bytes = png(160, 120, caption);
  return { kind, contentType: 'image/png', sha256: sha256Hex(bytes), data: bytes.toString('base64') };
}

/** A grey PNG of `width` × `height` with a `Comment` text chunk (PNG spec, ISO/IEC 15948). */
function png(width: number, height: number, comment: string): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x80)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Comment\0${Buffer.from(comment).toString('base64')}`, 'latin1')),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
