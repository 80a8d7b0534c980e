import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from 'js-yaml';
import { collectProcessMetrics, metricsRegistry } from './metrics';
import { SYSTEM_GAUGES } from './system-gauges';

/**
 * The alert rules and the dashboard against the apps' declarations, without any tool: the rule file's shape, and
 * every metric an expression reads (and every label it matches on) against the metrics the apps declare, so that
 * a renamed metric cannot leave a rule that silently never fires. promtool checks the PromQL and runs the alerts
 * on series in tests/integration/deployment-tools.e2e-spec.ts.
 */
const docker = resolve(__dirname, '../../../../../docker');

collectProcessMetrics();
const declared = new Map<string, Set<string>>();
for (const metric of metricsRegistry.getMetricsAsArray()) {
  const { name, labelNames = [] } = metric as unknown as { name: string; labelNames?: string[] };
  const type = (metric as unknown as { type?: string }).type;
  const names = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  for (const n of names) declared.set(n, new Set([...labelNames, ...(n.endsWith('_bucket') ? ['le'] : [])]));
}
for (const gauge of SYSTEM_GAUGES) declared.set(gauge.name, new Set(gauge.labels));
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = new Set(['job', 'instance']);

/** The problems of one PromQL expression: metrics not declared, labels those metrics do not have. */
function problemsOf(expr: string): string[] {
  const problems: string[] = [];
  const used = [...expr.matchAll(/\b(ecc_[a-z0-9_]+)(\{([^}]*)\})?/g)];
  // `up` is Prometheus's own series of each scrape
  if (used.length === 0 && !/\bup\{/.test(expr)) problems.push(`reads no ecc_ metric: ${expr}`);
  const labelsOfUsed = new Set<string>(TARGET_LABELS);
  for (const [, name, , matchers] of used) {
    const labels = declared.get(name!);
    if (!labels) {
      problems.push(`unknown metric ${name}`);
      continue;
    }
    labels.forEach((l) => labelsOfUsed.add(l));
    for (const [, label] of (matchers ?? '').matchAll(/([a-zA-Z_]+)\s*(=~|!=|!~|=)/g)) {
      if (!labels.has(label!) && !TARGET_LABELS.has(label!)) problems.push(`${name} has no label ${label}`);
    }
  }
  for (const [, list] of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const label of list!
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean)) {
      if (!labelsOfUsed.has(label)) problems.push(`grouping by ${label}, a label none of its metrics has`);
    }
  }
  return problems;
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('docker/prometheus/alerts.yml', () => {
  const file = load(readFileSync(`${docker}/prometheus/alerts.yml`, 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = file.groups.flatMap((g) => g.rules);

  it('is a Prometheus rule file: groups of named alerts with an expression, a severity and what to do', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    expect(new Set(file.groups.map((g) => g.name)).size).toBe(file.groups.length);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(
        Object.keys(rule).filter((k) => !['alert', 'expr', 'for', 'labels', 'annotations'].includes(k)),
      ).toEqual([]);
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(typeof rule.expr).toBe('string');
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smhdw]$/);
      expect(['page', 'ticket']).toContain(rule.labels?.['severity']);
      expect(rule.annotations?.['summary']).toBeTruthy();
      expect(rule.annotations?.['description']).toBeTruthy();
    }
  });

  it('reads only metrics the apps declare, by labels they have', () => {
    const problems = rules.flatMap((r) => problemsOf(r.expr).map((p) => `${r.alert}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('covers what needs a person', () => {
    const names = rules.map((r) => r.alert);
    for (const needed of [
      'ScreeningLagging',
      'AuditChainBroken',
      'AuditChainUnverified',
      'QueueJobsFailing',
      'WorkingCalendarRunningOut',
      'DeadlineMissed',
    ])
      expect(names).toContain(needed);
  });

  it('is loaded by the Prometheus configuration, which scrapes both apps with the token', () => {
    const config = load(readFileSync(`${docker}/prometheus/prometheus.yml`, 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; authorization?: { credentials_file?: string } }[];
    };
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(config.scrape_configs.map((s) => s.job_name).sort()).toEqual(['api', 'worker']);
    for (const scrape of config.scrape_configs)
      expect(scrape.authorization?.credentials_file).toBe('/run/secrets/metrics_token');
  });

  it('catches a metric that does not exist', () => {
    expect(problemsOf('max(ecc_no_such_metric) > 0')).toEqual(['unknown metric ecc_no_such_metric']);
    expect(problemsOf('ecc_deadlines{kind="x"} > 0')).toEqual(['ecc_deadlines has no label kind']);
    expect(problemsOf('sum by (colour) (ecc_screenings_total)')).toEqual([
      'grouping by colour, a label none of its metrics has',
    ]);
  });
});

describe('docker/grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(`${docker}/grafana/dashboards/ecc-overview.json`, 'utf8')) as {
    uid: string;
    panels: { type: string; title: string; targets?: { expr: string }[] }[];
  };

  it('reads only metrics the apps declare, by labels they have', () => {
    const targets = dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
    );
    expect(targets.length).toBeGreaterThan(20);
    const problems = targets.flatMap((t) => problemsOf(t.expr).map((p) => `${t.panel}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('shows every metric the apps declare', () => {
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    const missing = [
      ...SYSTEM_GAUGES.map((g) => g.name),
      ...metricsRegistry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name),
    ]
      .filter((name) => name.startsWith('ecc_') && !/^ecc_(process|nodejs)_/.test(name))
      .filter((name) => !exprs.includes(name));
    expect(missing).toEqual([]);
  });
});
