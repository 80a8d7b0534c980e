import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';

/**
 * docker/'s Prometheus and Caddy files checked by the tools that run them: promtool (Debian's `prometheus`
 * package) checks the rule file's PromQL and the Prometheus configuration, and runs unit tests of the alerts
 * that need a person (each fires on the series that should fire it, and not before its `for`); `caddy validate`
 * (Debian's `caddy`) loads the Caddyfile with certificates in place. A clean machine (CI) lacks both: they are
 * installed here with apt-get, as root, once (about a minute and a half together, measured when written).
 * The metric names the rules and the dashboard read are checked against the apps' own /metrics in
 * tests/e2e/metrics.e2e-spec.ts.
 */
const docker = resolve(__dirname, '../../docker');

jest.setTimeout(300_000);

function ensureTool(tool: string, debianPackage: string): void {
  const present = () => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (present()) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', debianPackage], {
    env,
    stdio: 'ignore',
  });
  if (!present()) throw new Error(`${debianPackage} installed, yet ${tool} not found`);
}

/** A deep copy; written back as JSON, which promtool reads as the YAML it is. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const runTool = (tool: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) => {
  const run = spawnSync(tool, args, { cwd, env, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
};

interface Rule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const ruleFile = load(readFileSync(`${docker}/prometheus/alerts.yml`, 'utf8')) as {
  groups: { name: string; rules: Rule[] }[];
};
const rules = new Map(ruleFile.groups.flatMap((g) => g.rules).map((r) => [r.alert, r]));

/** An alert firing with these labels of its series, its own labels and annotations (templates filled in). */
function firing(alert: string, seriesLabels: Record<string, string> = {}) {
  const rule = rules.get(alert)!;
  const fill = (text: string) =>
    text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, label: string) => seriesLabels[label] ?? '');
  return {
    exp_labels: { ...seriesLabels, ...rule.labels },
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fill(v)])),
  };
}

/** What needs a person, as promtool unit tests: series in, the alerts expected at each time (1 m steps). */
const SCENARIOS = [
  {
    input_series: [
      { series: 'ecc_detections_oldest_unscreened_age_seconds{job="worker"}', values: '0 1000x30' },
    ],
    alert_rule_test: [
      // over 15 minutes since minute 1, for 10 minutes: pending at 5, firing at 12
      { eval_time: '5m', alertname: 'ScreeningLagging', exp_alerts: [] },
      { eval_time: '12m', alertname: 'ScreeningLagging', exp_alerts: [firing('ScreeningLagging')] },
    ],
  },
  {
    input_series: [
      { series: 'ecc_audit_last_verification_timestamp_seconds{result="intact"}', values: '60x5' },
      { series: 'ecc_audit_last_verification_timestamp_seconds{result="broken"}', values: '_x2 180x3' },
    ],
    alert_rule_test: [
      { eval_time: '1m', alertname: 'AuditChainBroken', exp_alerts: [] },
      { eval_time: '4m', alertname: 'AuditChainBroken', exp_alerts: [firing('AuditChainBroken')] },
    ],
  },
  {
    input_series: [
      { series: 'ecc_queue_job_failures_total{queue="screening",final="true"}', values: '0 0 0 1 1 1' },
      { series: 'ecc_queue_job_failures_total{queue="notices",final="false"}', values: '0 1 2 3 4 5' },
    ],
    alert_rule_test: [
      { eval_time: '2m', alertname: 'QueueJobsFailing', exp_alerts: [] },
      {
        eval_time: '5m',
        alertname: 'QueueJobsFailing',
        exp_alerts: [firing('QueueJobsFailing', { queue: 'screening' })],
      },
    ],
  },
  {
    input_series: [{ series: 'ecc_deadlines{state="missed_7d"}', values: '2x70 3x20' }],
    alert_rule_test: [
      { eval_time: '65m', alertname: 'DeadlineMissed', exp_alerts: [] },
      { eval_time: '75m', alertname: 'DeadlineMissed', exp_alerts: [firing('DeadlineMissed')] },
    ],
  },
  {
    // the calendar ends 30 days and an hour after the start: under 30 days from 1 h on, for 1 h
    input_series: [
      { series: 'ecc_working_calendar_coverage_end_timestamp_seconds', values: `${30 * 86400 + 3600}x200` },
    ],
    alert_rule_test: [
      { eval_time: '90m', alertname: 'WorkingCalendarRunningOut', exp_alerts: [] },
      {
        eval_time: '150m',
        alertname: 'WorkingCalendarRunningOut',
        exp_alerts: [firing('WorkingCalendarRunningOut')],
      },
    ],
  },
];

describe('docker/ checked by promtool and caddy', () => {
  let dir: string;

  beforeAll(() => {
    ensureTool('promtool', 'prometheus');
    ensureTool('caddy', 'caddy');
    dir = mkdtempSync(join(tmpdir(), 'ecc-deployment-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promtool: the alert rules are valid PromQL', () => {
    const check = runTool('promtool', ['check', 'rules', `${docker}/prometheus/alerts.yml`], dir);
    expect(check).toEqual({ code: 0, output: expect.stringContaining(`SUCCESS: ${rules.size} rules found`) });

    // and it refuses a rule that is not
    const broken = copy(ruleFile);
    broken.groups[0]!.rules[0]!.expr = 'max(ecc_detections_oldest_unscreened_age_seconds > 900';
    writeFileSync(join(dir, 'broken.yml'), JSON.stringify(broken));
    expect(runTool('promtool', ['check', 'rules', 'broken.yml'], dir).code).not.toBe(0);
  });

  it("promtool: the Prometheus configuration, with the container's paths in place", () => {
    const config = readFileSync(`${docker}/prometheus/prometheus.yml`, 'utf8')
      .replace('/etc/prometheus/alerts.yml', `${docker}/prometheus/alerts.yml`)
      .replaceAll('/run/secrets/metrics_token', join(dir, 'metrics_token'));
    writeFileSync(join(dir, 'metrics_token'), 'a-token-for-the-check\n');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const check = runTool('promtool', ['check', 'config', 'prometheus.yml'], dir);
    expect(check.output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(check).toMatchObject({ code: 0 });
  });

  it('promtool: the alerts that need a person fire on their series, and not before their time', () => {
    writeFileSync(
      join(dir, 'alerts.test.yml'),
      JSON.stringify({
        rule_files: [`${docker}/prometheus/alerts.yml`],
        evaluation_interval: '1m',
        tests: SCENARIOS.map((s) => ({ interval: '1m', ...s })),
      }),
    );
    const run = runTool('promtool', ['test', 'rules', 'alerts.test.yml'], dir);
    expect(run).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });

    // a scenario expecting the wrong thing fails
    const wrong = copy(SCENARIOS[0]!);
    wrong.alert_rule_test[1]!.exp_alerts = [];
    writeFileSync(
      join(dir, 'wrong.test.yml'),
      JSON.stringify({
        rule_files: [`${docker}/prometheus/alerts.yml`],
        tests: [{ interval: '1m', ...wrong }],
      }),
    );
    const failed = runTool('promtool', ['test', 'rules', 'wrong.test.yml'], dir);
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain('ScreeningLagging');
  });

  it('caddy: the Caddyfile loads with its certificates and host names in place, and proxies what it should', () => {
    for (const host of ['api', 'evidence', 'monitoring']) {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
        ].concat([
          '-subj',
          `/CN=${host}.bureau.test`,
          '-keyout',
          join(dir, `${host}.key`),
          '-out',
          join(dir, `${host}.crt`),
        ]),
        { stdio: 'ignore' },
      );
    }
    writeFileSync(
      join(dir, 'Caddyfile'),
      readFileSync(`${docker}/caddy/Caddyfile`, 'utf8').replaceAll('/certs/', `${dir}/`),
    );
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      XDG_DATA_HOME: dir,
      XDG_CONFIG_HOME: dir,
      ECC_API_HOST: 'api.bureau.test',
      ECC_EVIDENCE_HOST: 'evidence.bureau.test',
      ECC_MONITORING_HOST: 'monitoring.bureau.test',
    };
    const validate = runTool(
      'caddy',
      ['validate', '--config', 'Caddyfile', '--adapter', 'caddyfile'],
      dir,
      env,
    );
    expect(validate.output).toContain('Valid configuration');
    expect(validate.code).toBe(0);

    // what the proxy passes on: the API (its /api and /health paths), presigned reads of MinIO, Grafana
    const adapted = runTool('caddy', ['adapt', '--config', 'Caddyfile', '--adapter', 'caddyfile'], dir, env);
    expect(adapted.code).toBe(0);
    const json = adapted.output.slice(adapted.output.indexOf('{'));
    const upstreams = [...json.matchAll(/"dial":"([^"]+)"/g)].map((m) => m[1]).sort();
    expect(upstreams).toEqual(['api:3000', 'api:3000', 'grafana:3000', 'minio:9000']);
    expect(JSON.parse(json).apps.http.servers.srv0.listen).toEqual([':443']);

    // and it refuses a Caddyfile that is not one
    writeFileSync(join(dir, 'Broken'), 'api.bureau.test {\n\trevers_proxy api:3000\n}\n');
    expect(
      runTool('caddy', ['validate', '--config', 'Broken', '--adapter', 'caddyfile'], dir, env).code,
    ).not.toBe(0);
  });

  it("the Dockerfile: what nx.json's build needs, and the backup tools with the compose file's Postgres client", () => {
    const dockerfile = readFileSync(`${docker}/Dockerfile`, 'utf8');
    const root = resolve(docker, '..');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    // every plugin nx.json loads is copied into the build stage
    const nx = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as { plugins: string[] };
    for (const plugin of nx.plugins) {
      const path = plugin.replace(/^\.\//, '');
      expect({ plugin, copied: copied.some((c) => path.startsWith(c.replace(/\/$/, ''))) }).toEqual({
        plugin,
        copied: true,
      });
    }
    // the backup tools are built and reach the runtime stage, with pg_dump/pg_restore of the server's major version
    expect(dockerfile).toMatch(/tsc -b tools\/backup\/tsconfig\.build\.json/);
    expect(dockerfile).toMatch(/COPY --from=build .*\/app\/tools\/backup\/dist \.\/tools\/backup\/dist/);
    const compose = load(readFileSync(`${docker}/compose.yaml`, 'utf8')) as {
      services: Record<string, { image?: string }>;
    };
    const serverMajor = /^postgres:(\d+)/.exec(compose.services['postgres']!.image!)![1];
    expect(dockerfile).toContain(`postgresql-client-${serverMajor}`);
    // the documented commands name the built tools
    const operations = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    for (const tool of ['backup', 'restore']) {
      expect(operations).toContain(`api node tools/backup/dist/${tool}.js`);
      expect(readFileSync(join(root, `tools/backup/${tool}.ts`), 'utf8')).toContain('async function main');
    }
  });
});
