import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createScratchDatabase, dropDatabase, withClient } from '../support/database';
import { ADMIN, freePort, startTestStack, type TestStack } from '../support/test-app';

const root = resolve(__dirname, '../..');

// two runs of the demo, each a day of traffic with its casework, and the fence after one response window
jest.setTimeout(300_000);

/** `npm run demo` as a user runs it: its own process, against the API and worker, through the public API. */
function runDemo(
  stack: TestStack,
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@ecc/source', '-r', '@swc-node/register', 'tools/demo/main.ts'],
      {
        cwd: root,
        env: {
          PATH: process.env['PATH'] ?? '',
          TZ: 'UTC',
          ECC_API_URL: stack.api.url,
          ECC_ADMIN_USERNAME: ADMIN.username,
          ECC_ADMIN_PASSWORD: ADMIN.password,
          // the API's database, where the demo lets one response window run out
          DATABASE_URL: stack.api.env['DATABASE_URL']!,
          ...env,
        } as NodeJS.ProcessEnv, // a variable given as undefined is not passed
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('npm run demo', () => {
  let stack: TestStack;
  const count = async (sql: string) =>
    (await stack.api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;

  beforeAll(async () => {
    // the worker's deadline sweep finds the ended response window within a second (a minute by default)
    stack = await startTestStack('demo', { DEADLINE_SWEEP_INTERVAL_MS: '500' });
  });
  afterAll(() => stack?.close());

  describe('refuses, in one line, and writes nothing', () => {
    // a database of something else, with a table and a row: after a refused run it must be exactly as it was
    let scratch: string;
    const contents = () =>
      withClient(scratch, async (db) => ({
        tables: (
          await db.query<{ name: string }>(
            `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
              WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
          )
        ).rows.map((r) => r.name),
        notes: (await db.query('SELECT * FROM notes ORDER BY id')).rows,
      }));
    // an API (or the proxy in front of one) that answers as production does: with Strict-Transport-Security
    let production: Server;
    let productionUrl: string;

    beforeAll(async () => {
      scratch = await createScratchDatabase('demo_target');
      await withClient(scratch, (db) =>
        db.query("CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'kept')"),
      );
      production = createServer((_request, response) => {
        response.writeHead(200, { 'strict-transport-security': 'max-age=31536000' }).end('{}');
      });
      await new Promise<void>((r) => production.listen(0, '127.0.0.1', r));
      productionUrl = `http://127.0.0.1:${(production.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((r) => production?.close(r));
      if (scratch) await dropDatabase(scratch);
    });

    const cases: [string, () => Promise<Record<string, string | undefined>>, RegExp][] = [
      ['NODE_ENV=production', async () => ({ NODE_ENV: 'production' }), /NODE_ENV=production/],
      [
        "a DATABASE_URL that is not the running API's database",
        async () => ({}),
        /DATABASE_URL names ecc_test_demo_target_\w+ on 127\.0\.0\.1:5432, which is not the database of the API/,
      ],
      [
        // no API answers, so the demo would start `npm start`'s stack on DATABASE_URL, migrating it
        'a DATABASE_URL of another application, with no API running',
        async () => ({ ECC_API_URL: `http://127.0.0.1:${await freePort()}` }),
        /holds tables of something else \(notes\)/,
      ],
      [
        'a DATABASE_URL on another machine, with no API running',
        async () => ({
          ECC_API_URL: `http://127.0.0.1:${await freePort()}`,
          DATABASE_URL: 'postgresql://postgres@192.0.2.10:5432/ecc',
        }),
        /starts a stack only on a database of this machine/,
      ],
      [
        'an API that answers with Strict-Transport-Security',
        async () => ({ ECC_API_URL: productionUrl }),
        /answers with Strict-Transport-Security: a production configuration/,
      ],
      [
        'a running API without the credentials of its admin',
        async () => ({ ECC_ADMIN_USERNAME: undefined, ECC_ADMIN_PASSWORD: undefined }),
        /give an admin with ECC_ADMIN_USERNAME/,
      ],
    ];
    it.each(cases)('%s', async (_name, envOf, refusal) => {
      const before = { users: await count('users'), target: await contents() };
      const run = await runDemo(stack, { DATABASE_URL: scratch, ...(await envOf()) });
      expect(run.code).toBe(1);
      expect(run.output.trimEnd().split('\n')).toEqual([expect.stringMatching(refusal)]);
      expect(run.output).toMatch(/^\[demo\] /);
      expect(await contents()).toEqual(before.target);
      expect(await count('users')).toBe(before.users);
      expect(await count('stations')).toBe(0);
    });
  });

  it('makes a county whose cases stand at several stages, and a second run succeeds and repeats nothing', async () => {
    const first = await runDemo(stack);
    expect({ code: first.code, output: first.code === 0 ? '' : first.output }).toEqual({
      code: 0,
      output: '',
    });
    const snapshot = async () => ({
      stations: await count('stations'),
      devices: await count('devices'),
      users: await count('users'),
      detections: await count('detections'),
      leads: await count('leads'),
      cases: await count('cases'),
      permits: await count('oversize_permits'),
      fences: await count('fences'),
      interceptions: await count('interception_alerts'),
      staffAlerts: await count("staff_alerts WHERE kind = 'response_window_ended'"),
    });
    const afterFirst = await snapshot();
    const states = await stack.api.db.query<{ state: string }>(
      'SELECT DISTINCT state::text AS state FROM cases',
    );
    expect(states.rows.length).toBeGreaterThanOrEqual(4);
    const leadStatuses = await stack.api.db.query<{ status: string }>(
      'SELECT DISTINCT status::text AS status FROM leads',
    );
    expect(leadStatuses.rows.map((r) => r.status)).toEqual(
      expect.arrayContaining(['pending_review', 'rejected', 'notified', 'fenced', 'filed']),
    );
    expect(afterFirst).toMatchObject({ stations: 3, users: 9, permits: 1 });
    // 电子围栏 by the worker, after the one response window the demo let run out, and a pass that the API
    // intercepted: the lead fenced, its window missed, the reviewing officer told, the alert open
    const fenced = await stack.api.db.query<Record<string, string>>(
      `SELECT f.plate, f.status::text AS fence, l.status::text AS lead, d.status::text AS window,
              a.status::text AS alert, s.code AS station, ls.code AS lead_station
         FROM fences f JOIN leads l ON l.id = f.lead_id
         JOIN deadlines d ON d.lead_id = l.id AND d.kind = 'response_window'
         JOIN interception_alerts a ON a.fence_id = f.id
         JOIN detections dt ON dt.id = a.detection_id JOIN stations s ON s.id = dt.station_id
         JOIN stations ls ON ls.id = l.station_id`,
    );
    expect(fenced.rows).toEqual([
      {
        plate: '湘F33911',
        fence: 'active',
        lead: 'fenced',
        window: 'missed',
        alert: 'open',
        station: expect.any(String),
        lead_station: expect.any(String),
      },
    ]);
    expect(fenced.rows[0]!['station']).not.toBe(fenced.rows[0]!['lead_station']);
    expect(afterFirst).toMatchObject({ fences: 1, interceptions: 1, staffAlerts: 1 });
    expect(first.output).toMatch(/Fence [0-9a-f-]{36} on 湘F33911 .*1 interception alert/);
    // the other windows keep running: only the demo's one lead was moved
    expect(
      await count("deadlines WHERE kind = 'response_window' AND status = 'open' AND due_at < now()"),
    ).toBe(0);
    // the sign-in details it prints work
    const officerLine = first.output.split('\n').find((l) => l.trim().startsWith('li.ming'))!;
    const password = officerLine.trim().split(/\s+/)[1]!;
    const signIn = await fetch(`${stack.api.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'li.ming', password }),
    });
    expect(signIn.status).toBe(200);

    const second = await runDemo(stack);
    expect({ code: second.code, output: second.code === 0 ? '' : second.output }).toEqual({
      code: 0,
      output: '',
    });
    expect(second.output).toMatch(/0 accepted, \d+ already received/);
    expect(await snapshot()).toEqual(afterFirst);
  });
});
