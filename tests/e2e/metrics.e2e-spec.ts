import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from 'js-yaml';
import { registerOwnedVehicle } from '../support/case-fixture';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from '../support/station-client';
import { ADMIN, call, makeUser, startTestStack, tokenFor, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * GET /metrics on the API and on the worker's health port, after a detection flowed through intake, screening
 * into a lead, an officer's review and the SMS notice: the metric names and their labels (route templates, not
 * URLs; problem codes as reasons).
 */
const TOKEN = randomBytes(24).toString('hex');

/** One sample of a Prometheus text exposition: name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const valueOf = (
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined => {
  const found = find(samples, name, labels);
  return found.length === 1 ? found[0]!.value : undefined;
};

describe('metrics: GET /metrics on the API and the worker', () => {
  let stack: TestStack;
  let station: TestStation;
  let workerUrl: string;
  let detectionId: string;
  let leadId: string;

  const scrape = async (base: string, token: string | null = TOKEN) =>
    fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const samplesOf = async (base: string) => {
    const response = await scrape(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  };

  beforeAll(async () => {
    stack = await startTestStack('metrics', { METRICS_TOKEN: TOKEN, METRICS_CACHE_MS: '200' });
    workerUrl = `http://127.0.0.1:${stack.api.env['WORKER_HEALTH_PORT']}`;
    const admin = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    station = await registerStationWithDevice(
      stack.api,
      admin,
      `M${randomBytes(3).toString('hex').toUpperCase()}`,
    );

    const plate = '湘F3M901';
    await registerOwnedVehicle(stack.api, admin, 'MT', plate);
    const officer = await makeUser(stack.api, admin, 'metrics.officer', ['officer'], {
      enforcementCertificateNo: 'MT-C-0001',
    });
    const body = detectionBody({
      plate: { number: plate, color: 'yellow' },
      evidence: ['plate_front', 'plate_rear', 'side'].map((kind) =>
        evidenceItem(kind, Buffer.from(`JPEG ${kind} ${randomBytes(4).toString('hex')}`)),
      ),
    });
    detectionId = body['detectionId'] as string;
    expect((await signedPost(stack.api, station, body)).status).toBe(202);
    expect((await signedPost(stack.api, station, body)).status).toBe(200);
    const refused = await signedPost(stack.api, { ...station, secret: 'not-the-secret' }, detectionBody());
    expect(refused.body).toMatchObject({ status: 401, code: 'invalid_signature' });
    const screened = await waitFor(
      'the detection screened',
      async () => {
        const status = await call(stack.api, 'GET', `/api/v1/detections/${station.code}/${detectionId}`, {
          token: admin,
        });
        return status.body?.status === 'screened' ? status.body : undefined;
      },
      { timeoutMs: 30_000, output: stack.worker.output },
    );
    expect(screened.outcome).toBe('lead');
    leadId = screened.leadId;
    const reviewed = await call(stack.api, 'POST', `/api/v1/leads/${leadId}/review`, {
      token: officer.token,
      body: {
        decision: 'confirm',
        reason: '号牌、轴数与图像一致，称重数据合理',
        checks: { plateMatches: true, axleCountMatches: true },
      },
    });
    expect(reviewed.status).toBe(200);
    await waitFor(
      'the notice sent',
      async () => {
        const { rows } = await stack.api.db.query(
          `SELECT 1 FROM notices WHERE lead_id = $1 AND status IN ('sent', 'delivered')`,
          [leadId],
        );
        return rows.length > 0;
      },
      { timeoutMs: 30_000, output: stack.worker.output },
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('is refused without the bearer token, on both', async () => {
    for (const base of [stack.api.url, workerUrl]) {
      expect((await scrape(base, null)).status).toBe(401);
      expect((await scrape(base, 'a'.repeat(48))).status).toBe(401);
    }
  });

  it('API: requests by route template and status, detections by result and reason, process metrics', async () => {
    const samples = await samplesOf(stack.api.url);
    const http = 'ecc_http_request_duration_seconds_count';
    expect(valueOf(samples, http, { method: 'POST', route: '/api/v1/detections', status: '202' })).toBe(1);
    expect(valueOf(samples, http, { method: 'POST', route: '/api/v1/detections', status: '200' })).toBe(1);
    expect(valueOf(samples, http, { method: 'POST', route: '/api/v1/detections', status: '401' })).toBe(1);
    // the status reads went to the template, never to a URL carrying the station and the detection
    expect(
      valueOf(samples, http, {
        method: 'GET',
        route: '/api/v1/detections/:stationCode/:detectionId',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, http, { method: 'POST', route: '/api/v1/leads/:id/review', status: '200' })).toBe(
      1,
    );
    const routes = new Set(find(samples, http).map((s) => s.labels['route']));
    for (const route of routes) {
      expect(route).not.toContain(station.code);
      expect(route).not.toContain(leadId);
    }
    expect(
      find(samples, 'ecc_http_request_duration_seconds_bucket', { route: '/api/v1/detections' }).length,
    ).toBeGreaterThan(0);

    expect(valueOf(samples, 'ecc_detections_received_total', { result: 'accepted' })).toBe(1);
    expect(valueOf(samples, 'ecc_detections_received_total', { result: 'duplicate' })).toBe(1);
    expect(
      valueOf(samples, 'ecc_detections_received_total', { result: 'refused', reason: 'invalid_signature' }),
    ).toBe(1);
    expect(valueOf(samples, 'ecc_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'ecc_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('worker: screening outcome and lag, queues, the database gauges, the audit verification', async () => {
    // The audit chain monitor verifies at start; its result is exported once it ran.
    const samples = await waitFor(
      'the audit verification in the worker metrics',
      async () => {
        const current = await samplesOf(workerUrl);
        return find(current, 'ecc_audit_last_verification_timestamp_seconds').length > 0
          ? current
          : undefined;
      },
      { timeoutMs: 30_000, output: stack.worker.output },
    );
    expect(find(samples, 'ecc_screenings_total')).toEqual([
      { name: 'ecc_screenings_total', labels: { outcome: 'lead' }, value: 1 },
    ]);
    // the owner's SMS went out (no push receiver is configured here: its attempts fail, counted as such)
    const notices = find(samples, 'ecc_notice_attempts_total', { channel: 'sms' });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.value).toBe(1);
    expect(['sent', 'delivered']).toContain(notices[0]!.labels['status']);
    for (const attempt of find(samples, 'ecc_notice_attempts_total'))
      expect(['sent', 'delivered', 'retry', 'failed']).toContain(attempt.labels['status']);
    expect(
      valueOf(samples, 'ecc_notices_created_24h', { channel: 'sms', status: notices[0]!.labels['status']! }),
    ).toBe(1);
    expect(valueOf(samples, 'ecc_screening_lag_seconds_count')).toBe(1);
    expect(valueOf(samples, 'ecc_screening_lag_seconds_sum')).toBeGreaterThanOrEqual(0);

    expect(valueOf(samples, 'ecc_metrics_source_up', { source: 'postgres' })).toBe(1);
    expect(valueOf(samples, 'ecc_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(valueOf(samples, 'ecc_detections_unscreened')).toBe(0);
    expect(valueOf(samples, 'ecc_detections_oldest_unscreened_age_seconds')).toBe(0);
    expect(valueOf(samples, 'ecc_intake_outbox_pending')).toBe(0);
    expect(valueOf(samples, 'ecc_audit_events_unsealed')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'ecc_fences_active')).toBe(0);
    for (const status of ['open', 'acknowledged'])
      expect(valueOf(samples, 'ecc_interception_alerts', { status })).toBe(0);
    for (const state of ['approaching', 'overdue', 'missed_7d'])
      expect(valueOf(samples, 'ecc_deadlines', { state })).toBe(0);
    for (const status of ['mismatch', 'missing'])
      expect(valueOf(samples, 'ecc_evidence_integrity_failures', { status })).toBe(0);
    for (const channel of ['sms', 'push'])
      expect(valueOf(samples, 'ecc_notices_pending', { channel })).toBeDefined();
    for (const queue of ['screening', 'notices', 'deadlines']) {
      for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'failed'])
        expect(valueOf(samples, 'ecc_queue_jobs', { queue, state })).toBeDefined();
      expect(valueOf(samples, 'ecc_queue_oldest_waiting_age_seconds', { queue })).toBeDefined();
    }
    expect(valueOf(samples, 'ecc_queue_jobs', { queue: 'screening', state: 'failed' })).toBe(0);
    const verification = find(samples, 'ecc_audit_last_verification_timestamp_seconds');
    expect(verification.map((s) => s.labels['result'])).toEqual(['intact']);
    expect(verification[0]!.value * 1000).toBeGreaterThan(Date.now() - 120_000);
    const calendar = find(samples, 'ecc_working_calendar_coverage_end_timestamp_seconds');
    expect(calendar).toHaveLength(1);
    expect(calendar[0]!.value).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z') / 1000);
    expect(valueOf(samples, 'ecc_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('the database gauges follow what the database holds (read again after the cache expires)', async () => {
    await stack.api.db.query(
      `INSERT INTO fences (id, plate, status, reason) VALUES (gen_random_uuid(), '湘F00001', 'active', 'metrics test')`,
    );
    const samples = await waitFor('the fence counted', async () => {
      const current = await samplesOf(workerUrl);
      return valueOf(current, 'ecc_fences_active') === 1 ? current : undefined;
    });
    expect(valueOf(samples, 'ecc_fences_active')).toBe(1);
  });

  it('exposes every metric the Grafana dashboard and the alert rules of docker/ read', async () => {
    const docker = resolve(__dirname, '../../docker');
    const dashboard = JSON.parse(readFileSync(`${docker}/grafana/dashboards/ecc-overview.json`, 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const rules = load(readFileSync(`${docker}/prometheus/alerts.yml`, 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const queries = [
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr }))),
      ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: r.alert, expr: r.expr }))),
    ];
    expect(queries.length).toBeGreaterThan(30);
    // every family the apps expose, by its # TYPE line (a labelled counter not yet counted has no sample)
    const exposed = new Set<string>();
    for (const base of [stack.api.url, workerUrl]) {
      const text = await (await scrape(base)).text();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exposed.add(name!);
        if (type === 'histogram' || type === 'summary')
          for (const part of ['_bucket', '_sum', '_count']) exposed.add(`${name!}${part}`);
      }
    }
    const unknown = queries.flatMap(({ where, expr }) =>
      [...expr.matchAll(/\b(ecc_[a-z0-9_]+)/g)]
        .map((m) => m[1]!)
        .filter((n) => !exposed.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // and the check can fail
    expect(exposed.has('ecc_no_such_metric')).toBe(false);
  });
});
