/**
 * In one process: the API's work on a JSON detection with three 100 KB images inline (base64), before it stores
 * them — parsing the body, validating it, decoding and hashing the images — the whole body parsed (as Fastify's
 * JSON parser does) against the images taken from the raw bytes (`splitInlineEvidence`), alternately, CPU time per
 * detection. `node --conditions=@ecc/source -r @swc-node/register tests/bench/json-images.ts [rounds]`.
 */
import { createHash } from 'node:crypto';
import secureJsonParse from 'secure-json-parse';
import { decodeEvidence, detectionBodySchema, formEvidence, splitInlineEvidence } from '@ecc/intake-domain';
import { jpegLike, requiredEvidence } from '../support/detection-mix';

const BODIES = 200;
const template = jpegLike(100 * 1024);
const bodies = Array.from({ length: BODIES }, (_, n) =>
  Buffer.from(
    JSON.stringify({
      detectionId: `BENCH-${n}`,
      deviceCode: 'WIM-01',
      detectedAt: '2026-12-06T08:31:12+08:00',
      lane: 2,
      plate: { number: '湘F12345', color: 'yellow' },
      vehicle: { axleCount: 6, combination: true, singleDriveAxle: false, singleTyreAxles: 0 },
      weighing: { grossKg: 58200, axleLoadsKg: [7100, 11000, 10000, 10000, 10000, 10100], speedKmh: 58.2 },
      evidence: requiredEvidence(100 * 1024, template),
    }),
  ),
);
const parseOptions = { protoAction: 'error', constructorAction: 'error' } as const;
let sink = 0;

function whole(body: Buffer): void {
  const parsed = detectionBodySchema.parse(secureJsonParse.parse(body, parseOptions));
  const { decoded, mismatches } = decodeEvidence(parsed.evidence);
  sink += decoded.length + mismatches.length;
}

function split(body: Buffer): void {
  const taken = splitInlineEvidence(body, (length) => Buffer.allocUnsafeSlow(length));
  if (!taken) throw new Error('not taken');
  const parsed = detectionBodySchema.parse(secureJsonParse.parse(taken.json, parseOptions));
  const parts = parsed.evidence.map((item, i) => ({
    name: item.kind,
    contentType: null,
    data: taken.evidence[i]!,
  }));
  const { decoded, mismatches } = formEvidence(parsed.evidence, parts);
  sink += decoded.length + mismatches.length;
}

/** The hashing both do (the three images' sha256), measured alone to tell it from the parsing. */
function hashOnly(body: Buffer): void {
  const taken = splitInlineEvidence(body, (length) => Buffer.allocUnsafeSlow(length))!;
  for (const bytes of taken.evidence) sink += createHash('sha256').update(bytes).digest()[0]!;
}

const cpuMsPer = (run: (body: Buffer) => void): number => {
  const before = process.cpuUsage();
  for (const body of bodies) run(body);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / BODIES;
};

const rounds = Number(process.argv[2] ?? 6);
for (let i = 0; i < 2; i++) [whole, split].forEach(cpuMsPer); // warm-up
for (let round = 1; round <= rounds; round++) {
  const a = cpuMsPer(whole);
  const b = cpuMsPer(split);
  const h = cpuMsPer(hashOnly);
  console.log(
    `round ${round}: whole body parsed ${a.toFixed(3)} ms · images taken from the bytes ${b.toFixed(3)} ms · (of which split + sha256 alone ${h.toFixed(3)} ms)`,
  );
}
if (sink < 0) console.log(sink);
