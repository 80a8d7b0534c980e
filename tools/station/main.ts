import { chmodSync, readFileSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ApiClient, ApiRefusal } from './api-client';
import {
  canonicalPrefixV2,
  detectionHeaders,
  evidenceHeaders,
  evidenceUrl,
  sha256Hex,
  signV2,
} from './signature';

/**
 * `npm run station -- <command>`: a command-line station for vendors and for trying the API — register,
 * send a detection from a JSON file with its images, upload a video, rotate the secret, show a signature.
 * docs/station-integration.md describes the protocol and the commands.
 */
const USAGE = `usage: npm run station -- <command> [options]

  register --code C --name N --road R --stake K --direction D --lat L --lng L
  send DETECTION.json
  upload-video DETECTION_ID FILE [--kind video]
  rotate-secret
  sign --secret S --timestamp T --method M --path P --content-type C FILE

  --station FILE   the station file (code and secret; default station.json)
  ECC_API_URL (default http://localhost:3000); register and rotate-secret sign in as ECC_ADMIN_USERNAME /
  ECC_ADMIN_PASSWORD.`;

interface StationFile {
  apiUrl: string;
  code: string;
  secret: string;
  keyId?: string;
}

const MEDIA_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
};

class UsageError extends Error {}

const mediaTypeOf = (file: string): string => {
  const type = MEDIA_TYPES[extname(file).toLowerCase()];
  if (!type) throw new UsageError(`${file}: evidence is .jpg, .jpeg, .png, .webp or .mp4`);
  return type;
};

function readStation(path: string): StationFile {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StationFile;
  } catch {
    throw new UsageError(`no station file at ${path}: run \`register\` first, or give --station`);
  }
}

function writeStation(path: string, station: StationFile): void {
  writeFileSync(path, `${JSON.stringify(station, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  console.log(`station ${station.code}: code and secret written to ${path} (mode 600)`);
}

async function adminToken(api: ApiClient): Promise<string> {
  const username = process.env['ECC_ADMIN_USERNAME'];
  const password = process.env['ECC_ADMIN_PASSWORD'];
  if (!username || !password)
    throw new UsageError('set ECC_ADMIN_USERNAME and ECC_ADMIN_PASSWORD (an admin)');
  return api.signIn(username, password);
}

/** A detection file's `evidence`: items naming a file become inline items (base64, SHA-256, media type). */
function inlineEvidence(detection: Record<string, unknown>, baseDir: string): void {
  const items = (detection['evidence'] ?? []) as Record<string, unknown>[];
  detection['evidence'] = items.map((item) => {
    if (typeof item['file'] !== 'string') return item;
    const path = resolve(baseDir, item['file']);
    const bytes = readFileSync(path);
    return {
      kind: item['kind'],
      contentType: mediaTypeOf(path),
      sha256: sha256Hex(bytes),
      data: bytes.toString('base64'),
    };
  });
}

const print = (answer: { status: number; body: unknown }) =>
  console.log(`${answer.status} ${JSON.stringify(answer.body, null, 2)}`);

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      station: { type: 'string', default: 'station.json' },
      code: { type: 'string' },
      name: { type: 'string' },
      road: { type: 'string' },
      stake: { type: 'string' },
      direction: { type: 'string' },
      lat: { type: 'string' },
      lng: { type: 'string' },
      kind: { type: 'string', default: 'video' },
      secret: { type: 'string' },
      timestamp: { type: 'string' },
      method: { type: 'string' },
      path: { type: 'string' },
      'content-type': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  // `npm run` changes to the repository's folder; INIT_CWD is where the user typed the command.
  const here = process.env['INIT_CWD'] ?? process.cwd();
  const stationPath = resolve(here, values.station);
  const apiUrl = (process.env['ECC_API_URL'] ?? 'http://localhost:3000').replace(/\/$/, '');

  switch (command) {
    case 'register': {
      const api = new ApiClient(apiUrl);
      const body = {
        code: values.code,
        name: values.name,
        road: values.road,
        stake: values.stake,
        direction: values.direction,
        lat: Number(values.lat),
        lng: Number(values.lng),
      };
      const created = await api.expect('register', 'POST', '/api/v1/stations', {
        token: await adminToken(api),
        body,
      });
      writeStation(stationPath, {
        apiUrl,
        code: created.body.code as string,
        secret: created.body.secret as string,
        keyId: created.body.keyId as string,
      });
      return;
    }
    case 'send': {
      const [file] = args;
      if (!file) throw new UsageError('send DETECTION.json');
      const station = readStation(stationPath);
      const detection = JSON.parse(readFileSync(resolve(here, file), 'utf8')) as Record<string, unknown>;
      inlineEvidence(detection, dirname(resolve(here, file)));
      const raw = JSON.stringify(detection);
      const api = new ApiClient(station.apiUrl);
      print(await api.call('POST', '/api/v1/detections', { raw, headers: detectionHeaders(station, raw) }));
      return;
    }
    case 'upload-video': {
      const [detectionId, file] = args;
      if (!detectionId || !file) throw new UsageError('upload-video DETECTION_ID FILE');
      const station = readStation(stationPath);
      // The signature covers the bytes: hashed in one pass here, then streamed as they are read again.
      const path = resolve(here, file);
      const bytes = readFileSync(path);
      const contentType = mediaTypeOf(path);
      const headers = evidenceHeaders(station, detectionId, values.kind, contentType, bytes);
      const response = await fetch(evidenceUrl(station.apiUrl, station.code, detectionId, values.kind), {
        method: 'PUT',
        headers: { ...headers, 'content-length': String(statSync(path).size) },
        body: Readable.toWeb(createReadStream(path)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      print({ status: response.status, body: await response.json().catch(() => null) });
      return;
    }
    case 'rotate-secret': {
      const station = readStation(stationPath);
      const api = new ApiClient(station.apiUrl);
      const rotated = await api.expect(
        'rotate the secret',
        'POST',
        `/api/v1/stations/${encodeURIComponent(station.code)}/secret-rotations`,
        { token: await adminToken(api) },
      );
      writeStation(stationPath, {
        ...station,
        secret: rotated.body.secret as string,
        keyId: rotated.body.keyId as string,
      });
      console.log(`the previous secret stays valid until ${String(rotated.body.previousRetiresAt)}`);
      return;
    }
    case 'sign': {
      const [file] = args;
      const target = { method: values.method, path: values.path, mediaType: values['content-type'] };
      if (
        !file ||
        !values.secret ||
        !values.timestamp ||
        !target.method ||
        !target.path ||
        !target.mediaType
      ) {
        throw new UsageError('sign --secret S --timestamp T --method M --path P --content-type C FILE');
      }
      const signed = { method: target.method, path: target.path, mediaType: target.mediaType };
      console.log(JSON.stringify(canonicalPrefixV2(signed, values.timestamp)));
      console.log(signV2(values.secret, values.timestamp, signed, readFileSync(resolve(here, file))));
      return;
    }
    default:
      throw new UsageError(`unknown command ${command}\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof UsageError || error instanceof ApiRefusal ? error.message : error);
  process.exit(1);
});
