import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ApiClient, ApiRefusal } from '../station/api-client';
import { detectionHeaders } from '../station/signature';
import { advanceCase, LEAD_PLANS, type Actor } from './casework';
import { fenceAfterWindow, type FenceOutcome } from './fence';
import {
  DRIVERS,
  ENTERPRISES,
  PERMIT_PLATE,
  SOURCE_UNITS,
  STAFF,
  STATIONS,
  VEHICLE_KINDS,
  VEHICLES,
} from './county';
import { DemoRefused, isLocalHost, refuseForeignDatabase, refuseStackDatabase } from './guard';
import { dayOfTraffic, OVERLOADS, type PlannedDetection } from './traffic';

/**
 * `npm run demo`: a small county in a running API (or one it starts), through the public API only — stations
 * with devices and calibrations, staff of every role, the registry, a permit — then a day of signed detections
 * through the station protocol, and the day's leads carried through review, notice and cases to several stages.
 * One lead's response window is made to end in the development database (fence.ts), so that the worker fences
 * its vehicle and a later pass raises an interception alert. Idempotent: a second run on the same database (the
 * same day) repeats nothing; it refuses a production configuration. docs/demo.md says what it makes.
 */
const envSchema = z.object({
  ECC_API_URL: z.string().url().default('http://localhost:3000').describe('Where the API answers.'),
  ECC_ADMIN_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe('An admin of the API (default: BOOTSTRAP_ADMIN_USERNAME).'),
  ECC_ADMIN_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('Their password (default: BOOTSTRAP_ADMIN_PASSWORD).'),
  BOOTSTRAP_ADMIN_USERNAME: z.string().min(1).optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(1).optional(),
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('postgresql://postgres@127.0.0.1:5432/ecc')
    .describe(
      "The API's database, where one lead's response window is made to end (default: the API's default).",
    ),
  DEMO_DAY: z.iso
    .date()
    .optional()
    .describe("The day of traffic (YYYY-MM-DD, the bureau's); default: yesterday in China Standard Time."),
});

const log = (message: string) => console.log(`[demo] ${message}`);

async function main(): Promise<void> {
  const env = envSchema.parse(process.env);
  if (env.NODE_ENV === 'production') {
    throw new DemoRefused(
      'NODE_ENV=production: the demo writes a made-up county and never runs against production',
    );
  }
  const api = new ApiClient(env.ECC_API_URL.replace(/\/$/, ''));
  let admin = {
    username: env.ECC_ADMIN_USERNAME ?? env.BOOTSTRAP_ADMIN_USERNAME,
    password: env.ECC_ADMIN_PASSWORD ?? env.BOOTSTRAP_ADMIN_PASSWORD,
  };
  let stack: ChildProcess | undefined;
  if (!(await api.ready())) {
    ({ stack, admin } = await startStack(api, admin, env.DATABASE_URL));
  }
  await refuseProduction(api);
  if (!admin.username || !admin.password) {
    throw new DemoRefused(
      'the API is running: give an admin with ECC_ADMIN_USERNAME and ECC_ADMIN_PASSWORD (or the BOOTSTRAP_ADMIN_* it was started with)',
    );
  }
  const adminToken = await api.signIn(admin.username, admin.password);
  const me = (await api.expect('the signed-in admin', 'GET', '/api/v1/users/me', { token: adminToken })).body;
  await refuseForeignDatabase(env.DATABASE_URL, api.url, { id: me.id as string, username: admin.username });

  const day = env.DEMO_DAY ?? yesterdayInChina();
  const secrets = await setUpStations(api, adminToken, day);
  const signIns = await setUpStaff(api, adminToken);
  await setUpRegistry(api, adminToken, day);

  const traffic = dayOfTraffic(day);
  const officer = await api.signIn(signIns[0]!.username, signIns[0]!.password);
  const leads = await sendTraffic(api, traffic, secrets, officer);
  const tokens = await tokensOf(api, signIns);
  const fence = (leadId: string, station: string, token: string) =>
    fenceAfterWindow({
      api,
      databaseUrl: env.DATABASE_URL,
      leadId,
      day,
      officer: token,
      station: { code: station, secret: secrets.get(station)! },
      log,
      waitFor,
    }).catch((error: unknown) => {
      if (error instanceof ApiRefusal || error instanceof DemoRefused) throw error;
      throw new DemoRefused(`letting a response window run out: ${(error as Error).message}`);
    });
  const outcome = await carryLeads(api, leads, tokens, signIns, fence);

  printSummary(api, day, signIns, secrets, outcome);
  if (stack) {
    log(`the first admin of the stack it started: ${admin.username} / ${admin.password}`);
    log('the stack the demo started keeps running: Ctrl-C stops it');
    await new Promise((r) => stack.once('exit', r));
  }
}

/** No API at the address: `npm start`'s stack, with a first admin the demo makes up and prints. */
async function startStack(
  api: ApiClient,
  given: { username?: string | undefined; password?: string | undefined },
  databaseUrl: string,
): Promise<{ stack: ChildProcess; admin: { username: string; password: string } }> {
  const url = new URL(api.url);
  if (!isLocalHost(url.hostname)) {
    throw new DemoRefused(`no API answers at ${api.url}, and the demo starts one only on this machine`);
  }
  await refuseStackDatabase(databaseUrl);
  const admin = {
    username: given.username ?? 'admin',
    password: given.password ?? randomBytes(12).toString('base64url'),
  };
  log(`no API at ${api.url}: starting the stack (npm start) with the first admin ${admin.username}`);
  const root = resolve(__dirname, '../..');
  const stack = spawn(
    process.execPath,
    ['--conditions=@ecc/source', '-r', '@swc-node/register', 'apps/devstack/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: url.port || '3000',
        BOOTSTRAP_ADMIN_USERNAME: admin.username,
        BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  process.on('SIGINT', () => stack.kill('SIGINT'));
  const deadline = Date.now() + 180_000;
  while (!(await api.ready())) {
    if (stack.exitCode !== null) throw new DemoRefused(`the stack exited with ${stack.exitCode}`);
    if (Date.now() > deadline) throw new DemoRefused('the stack was not ready within 3 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  return { stack, admin };
}

/**
 * The API sends Strict-Transport-Security only with NODE_ENV=production (docs/security.md): an API that
 * answers with it — or a proxy in front of one — is not a place for a made-up county.
 */
async function refuseProduction(api: ApiClient): Promise<void> {
  const answer = await fetch(`${api.url}/health/live`);
  if (answer.headers.has('strict-transport-security')) {
    throw new DemoRefused(`${api.url} answers with Strict-Transport-Security: a production configuration`);
  }
}

function yesterdayInChina(): string {
  return new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Stations with a WIM device (approved, published, calibrated) and a camera; a secret to sign with. */
async function setUpStations(api: ApiClient, token: string, day: string): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  const today = addDays(day, 1);
  for (const station of STATIONS) {
    const created = await api.expect(
      'station',
      'POST',
      '/api/v1/stations',
      { token, body: station },
      [201, 409],
    );
    if (created.status === 201) {
      secrets.set(station.code, created.body.secret as string);
    } else {
      // Shown only once: a station that exists gets a new secret (the old one stays valid for the overlap).
      const rotated = await api.expect(
        'secret rotation',
        'POST',
        `/api/v1/stations/${station.code}/secret-rotations`,
        {
          token,
        },
      );
      secrets.set(station.code, rotated.body.secret as string);
    }
    const devices = `/api/v1/stations/${station.code}/devices`;
    await api.expect(
      'WIM device',
      'POST',
      devices,
      {
        token,
        body: {
          code: 'WIM-01',
          kind: 'wim',
          serialNo: `WIM-${station.code}-2024`,
          manufacturer: '示例称重设备有限公司',
          model: 'DWIM-3000',
          accuracyClass: '5',
          legalReviewedAt: '2024-11-20',
          technicalReviewedAt: '2024-12-05',
          publishedAt: '2024-12-20',
          calibration: calibrationFor(station.code, today),
        },
      },
      [201, 409],
    );
    await ensureCalibration(api, token, station.code, today);
    await api.expect(
      'camera',
      'POST',
      devices,
      {
        token,
        body: {
          code: 'CAM-01',
          kind: 'camera',
          serialNo: `CAM-${station.code}-2024`,
          manufacturer: '示例视频设备有限公司',
          legalReviewedAt: '2024-11-20',
          technicalReviewedAt: '2024-12-05',
          publishedAt: '2024-12-20',
        },
      },
      [201, 409],
    );
  }
  log(`${STATIONS.length} stations with their devices`);
  return secrets;
}

/** 计量检定证书 of a year, valid from 200 days before `today` (the day after the traffic's). */
const calibrationFor = (stationCode: string, today: string) => ({
  certificateNo: `JDZ-${today.slice(0, 4)}-${stationCode}`,
  validFrom: addDays(today, -200),
  validTo: addDays(today, 165),
  issuer: '湖南省计量检测研究院',
});

/** A device created for an earlier day gets a certificate when none covers the traffic's day. */
async function ensureCalibration(api: ApiClient, token: string, stationCode: string, today: string) {
  const device = await api.expect('device', 'GET', `/api/v1/stations/${stationCode}/devices/WIM-01`, {
    token,
  });
  const yesterday = addDays(today, -1);
  const covered = (device.body.calibrations as { validFrom: string; validTo: string }[]).some(
    (c) => c.validFrom <= yesterday && yesterday <= c.validTo,
  );
  if (!covered) {
    await api.expect('calibration', 'POST', `/api/v1/stations/${stationCode}/devices/WIM-01/calibrations`, {
      token,
      body: calibrationFor(stationCode, today),
    });
  }
}

interface SignIn {
  username: string;
  password: string;
  displayName: string;
  roles: string[];
  id: string;
}

/**
 * Staff of every role with a fresh password each run (printed at the end): a new user is created with it; one
 * that exists gets a one-time password from the admin and replaces it, as a user would at first sign-in.
 */
async function setUpStaff(api: ApiClient, token: string): Promise<SignIn[]> {
  const existing = new Map<string, string>(
    (
      (await api.expect('users', 'GET', '/api/v1/users', { token })).body.items as {
        username: string;
        id: string;
      }[]
    ).map((u) => [u.username, u.id]),
  );
  const signIns: SignIn[] = [];
  for (const member of STAFF) {
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    let id = existing.get(member.username);
    if (!id) {
      id = (
        await api.expect(`user ${member.username}`, 'POST', '/api/v1/users', {
          token,
          body: { ...member, password },
        })
      ).body.id as string;
    } else {
      const reset = await api.expect('password reset', 'POST', `/api/v1/users/${id}/password-reset`, {
        token,
      });
      const once = await api.signIn(member.username, reset.body.oneTimePassword as string);
      await api.expect('password change', 'POST', '/api/v1/users/me/password', {
        token: once,
        body: { currentPassword: reset.body.oneTimePassword, newPassword: password },
      });
    }
    signIns.push({
      username: member.username,
      password,
      displayName: member.displayName,
      roles: member.roles,
      id,
    });
  }
  log(`${signIns.length} staff: ${[...new Set(STAFF.flatMap((s) => s.roles))].join(', ')}`);
  return signIns;
}

/** The registry files an admin imports (upserts: a repeat changes nothing) and an oversize-transport permit. */
async function setUpRegistry(api: ApiClient, token: string, day: string): Promise<void> {
  const rows = {
    enterprises: ENTERPRISES.map((e) => ({ ...e, licenceFirstIssuedOn: '2019-03-01' })),
    vehicles: VEHICLES.map(({ kind, ...v }) => ({
      ...v,
      plateColour: 'yellow',
      axleCount: VEHICLE_KINDS[kind].axleCount,
      certificateFirstIssuedOn: '2021-06-01',
    })),
    drivers: DRIVERS.map((d) => ({
      ...d,
      registrationDivisionCode: '430681',
      qualificationFirstIssuedOn: '2018-05-01',
    })),
    'source-units': SOURCE_UNITS,
  };
  for (const [kind, list] of Object.entries(rows)) {
    await api.expect(`registry ${kind}`, 'POST', `/api/v1/registry/${kind}`, { token, body: { rows: list } });
  }
  const today = addDays(day, 1);
  await api.expect(
    'permit',
    'POST',
    '/api/v1/permits',
    {
      token,
      body: {
        permitNo: `湘超限许${today.slice(0, 4)}-0681-0007`,
        plate: PERMIT_PLATE,
        plateColour: 'yellow',
        validFrom: addDays(today, -30),
        validTo: addDays(today, 60),
        maxGrossKg: 70_000,
        route: 'G107 新市 — S308 白水（大型变压器运输）',
        issuer: '湖南省交通运输厅',
      },
    },
    [201, 409],
  );
  log(
    `registry: ${ENTERPRISES.length} enterprises, ${VEHICLES.length} vehicles, ${DRIVERS.length} drivers, ${SOURCE_UNITS.length} source units, 1 permit`,
  );
}

/** Sends the day's detections, signed as each station signs, and waits for screening; the leads by overload. */
async function sendTraffic(
  api: ApiClient,
  traffic: PlannedDetection[],
  secrets: Map<string, string>,
  officer: string,
): Promise<Map<number, string>> {
  let accepted = 0;
  let repeated = 0;
  for (const { stationCode, body } of traffic) {
    const raw = JSON.stringify(body);
    const answer = await api.expect(
      `detection ${String(body['detectionId'])}`,
      'POST',
      '/api/v1/detections',
      { raw, headers: detectionHeaders({ code: stationCode, secret: secrets.get(stationCode)! }, raw) },
      [200, 202],
    );
    if (answer.status === 202) accepted++;
    else repeated++;
  }
  log(`${traffic.length} detections sent: ${accepted} accepted, ${repeated} already received`);
  const leads = new Map<number, string>();
  const outcomes = new Map<string, number>();
  for (const { stationCode, body, overload } of traffic) {
    const path = `/api/v1/detections/${stationCode}/${String(body['detectionId'])}`;
    const screened = await waitFor(`screening of ${path}`, async () => {
      const answer = await api.expect('detection status', 'GET', path, { token: officer });
      return answer.body.status === 'screened' ? answer.body : null;
    });
    outcomes.set(screened.outcome, (outcomes.get(screened.outcome) ?? 0) + 1);
    if (overload !== null && screened.leadId) leads.set(overload, screened.leadId as string);
  }
  log(`screened: ${[...outcomes].map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return leads;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a status document read by field
async function waitFor(what: string, probe: () => Promise<any>, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new DemoRefused(`${what}: not done within ${timeoutMs / 1000} s (is the worker running?)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function tokensOf(api: ApiClient, signIns: SignIn[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const s of signIns) tokens[s.username] = await api.signIn(s.username, s.password);
  return tokens;
}

interface Outcome {
  leadsByStatus: Record<string, number>;
  casesByState: Record<string, number>;
  fences: FenceOutcome[];
}

/** Reviews, responses and cases, as the plan says for each lead; each step only if not done before. */
async function carryLeads(
  api: ApiClient,
  leads: Map<number, string>,
  tokens: Record<string, string>,
  signIns: SignIn[],
  fence: (leadId: string, otherStation: string, officer: string) => Promise<FenceOutcome>,
): Promise<Outcome> {
  const officers = signIns.filter((s) => s.roles.includes('officer'));
  const byRole = (role: string) => signIns.find((s) => s.roles.includes(role))!;
  const casesByState: Record<string, number> = {};
  const leadsByStatus: Record<string, number> = {};
  const fences: FenceOutcome[] = [];
  for (const [index, plan] of LEAD_PLANS.entries()) {
    const leadId = leads.get(index);
    if (!leadId) throw new DemoRefused(`the overload of ${OVERLOADS[index]!.plate} made no lead`);
    // Two officers per case, in turn (行政处罚法 Art. 42).
    const pair = [officers[index % officers.length]!, officers[(index + 1) % officers.length]!];
    const officer = tokens[pair[0]!.username]!;
    const lead = (await api.expect('lead', 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body;
    if (plan.kind !== 'leave_for_review' && lead.status === 'pending_review') {
      const reject = plan.kind === 'reject';
      await api.expect('review', 'POST', `/api/v1/leads/${leadId}/review`, {
        token: officer,
        body: reject
          ? {
              decision: 'reject',
              reason: '侧面照片显示为5轴车辆，与检测数据6轴不一致，数据不可信',
              checks: { plateMatches: true, axleCountMatches: false },
            }
          : {
              decision: 'confirm',
              reason: '号牌、轴数与图像一致，称重数据合理',
              checks: { plateMatches: true, axleCountMatches: true },
            },
      });
    }
    if (
      plan.kind === 'confirm' ||
      plan.kind === 'confirm_and_fence' ||
      plan.kind === 'confirm_and_response'
    ) {
      // 短信告知: the worker sends the owner's SMS (the local provider delivers at once); an unknown owner waits.
      await waitFor(`the notice of lead ${leadId}`, async () => {
        const now = (await api.expect('lead', 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body;
        return now.ownerUnknown || now.status !== 'confirmed';
      });
    }
    if (plan.kind === 'confirm_and_response') {
      await api.expect(
        'response',
        'POST',
        `/api/v1/leads/${leadId}/responses`,
        {
          token: officer,
          body: {
            respondedAt: new Date().toISOString(),
            channel: 'phone',
            note: '车主来电，约定到执法站接受处理',
          },
        },
        [201, 409],
      );
    }
    if (plan.kind === 'confirm_and_fence') {
      // the lead passed station index % 3 (traffic.ts); the fenced vehicle is seen at the next one
      fences.push(await fence(leadId, STATIONS[(index + 1) % STATIONS.length]!.code, officer));
    }
    if (plan.kind === 'case') {
      const existing = await api.expect('cases of the lead', 'GET', `/api/v1/cases?leadId=${leadId}`, {
        token: officer,
      });
      let caseId = existing.body.items[0]?.id as string | undefined;
      if (!caseId) {
        caseId = (
          await api.expect('case', 'POST', '/api/v1/cases', {
            token: officer,
            body: { leadId, officerIds: pair.map((p) => p.id) },
          })
        ).body.id as string;
      }
      const team: Record<Actor, string> = {
        officer,
        approver: tokens[byRole('approver').username]!,
        reviewer: tokens[byRole('legal_reviewer').username]!,
      };
      const state = await advanceCase(api, caseId, plan.target, { tokens: team }, index);
      casesByState[state] = (casesByState[state] ?? 0) + 1;
      if (state === 'closed') {
        // 一超四罚: the parties of the closed case are evaluated (idempotent: a repeat changes nothing).
        await api.expect('four penalties', 'POST', `/api/v1/cases/${caseId}/four-penalties/plan`, {
          token: officer,
          body: {},
        });
      }
    }
    const status = (await api.expect('lead', 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body
      .status as string;
    leadsByStatus[status] = (leadsByStatus[status] ?? 0) + 1;
  }
  // An auditor traces the closed case: the audit trail shows the read (auditors are audited).
  const closed = await api.expect('closed cases', 'GET', '/api/v1/cases?state=closed', {
    token: tokens[byRole('auditor').username]!,
  });
  for (const c of closed.body.items.slice(0, 1)) {
    await api.expect('trace', 'GET', `/api/v1/cases/${c.id as string}/trace`, {
      token: tokens[byRole('auditor').username]!,
    });
  }
  return { leadsByStatus, casesByState, fences };
}

function printSummary(
  api: ApiClient,
  day: string,
  signIns: SignIn[],
  secrets: Map<string, string>,
  outcome: Outcome,
): void {
  const line = (cells: string[]) => console.log(`  ${cells.map((c) => c.padEnd(20)).join(' ')}`);
  console.log(
    `\nThe demo county is ready (traffic of ${day}). Sign in at ${api.url}/api/docs or POST /api/v1/auth/token:\n`,
  );
  // the name last: a Chinese name is wider than its length, and would push the columns after it
  line(['username', 'password', 'roles', 'name']);
  for (const s of signIns) line([s.username, s.password, s.roles.join(', '), s.displayName]);
  console.log('\nStation signing secrets (valid now; `npm run station -- --help` sends with one):\n');
  for (const [code, secret] of secrets) line([code, secret]);
  console.log(`\nLeads of the day by status: ${JSON.stringify(outcome.leadsByStatus)}`);
  console.log(`Cases by state: ${JSON.stringify(outcome.casesByState)}`);
  for (const f of outcome.fences)
    console.log(
      `Fence ${f.fenceId} on ${f.plate} (its response window made to end), ${f.alerts} interception alert(s): GET /api/v1/fences, GET /api/v1/alerts`,
    );
  console.log('');
}

main().catch((error: unknown) => {
  console.error(
    `[demo] ${error instanceof DemoRefused || error instanceof ApiRefusal ? error.message : String(error)}`,
  );
  if (!(error instanceof DemoRefused || error instanceof ApiRefusal)) console.error(error);
  process.exit(1);
});
