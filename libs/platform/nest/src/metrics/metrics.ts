import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The metrics of this process (the API and the worker are processes of their own, each scraped on its own).
 * Every instrument is declared here, once, so that names, labels and help texts are reviewed in one place and
 * the alert rules (docker/prometheus/alerts.yml) can be checked against them. Label values are bounded: route
 * templates, never URLs; problem codes, never messages.
 */
export const metricsRegistry = new Registry();
const registers = [metricsRegistry];

/** Node's own: CPU, memory, heap, event-loop lag, handles, GC (prom-client's defaults, `ecc_` prefixed). */
let processMetricsOn = false;
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'ecc_' });
}

export const metrics = {
  /** Every HTTP request answered, by method, route template (`unmatched` for a 404 of no route) and status. */
  httpRequests: new Histogram({
    name: 'ecc_http_request_duration_seconds',
    help: 'HTTP requests answered, by method, route template and status; the time to answer them',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  }),
  /** POST /detections: accepted (durable), duplicate (an identical repeat) or refused, by problem code. */
  detections: new Counter({
    name: 'ecc_detections_received_total',
    help: 'Detections pushed by stations: accepted, duplicate (identical repeat) or refused (reason: the problem code)',
    labelNames: ['result', 'reason'] as const,
    registers,
  }),
  screenings: new Counter({
    name: 'ecc_screenings_total',
    help: 'Detections screened, by outcome (no_violation, invalid, lead, duplicate)',
    labelNames: ['outcome'] as const,
    registers,
  }),
  screeningLag: new Histogram({
    name: 'ecc_screening_lag_seconds',
    help: 'From a detection accepted to its screening committed',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600],
    registers,
  }),
  notices: new Counter({
    name: 'ecc_notice_attempts_total',
    help: 'Notice attempts ended (worker: sent, delivered, retry, failed for good) and delivery receipts (API: delivered, failed for good), by channel',
    labelNames: ['channel', 'status'] as const,
    registers,
  }),
  queueFailures: new Counter({
    name: 'ecc_queue_job_failures_total',
    help: 'Jobs that failed an attempt, by queue; final="true" when no attempt is left',
    labelNames: ['queue', 'final'] as const,
    registers,
  }),
  /** Set by the worker's audit chain monitor: one series, labelled with the last run's result. */
  auditVerification: new Gauge({
    name: 'ecc_audit_last_verification_timestamp_seconds',
    help: "When the worker last verified the audit chain, labelled with that run's result (intact or broken)",
    labelNames: ['result'] as const,
    registers,
  }),
  /** Set by the worker's calendar check: the last day the working-day calendar covers (its end, UTC). */
  calendarCoverage: new Gauge({
    name: 'ecc_working_calendar_coverage_end_timestamp_seconds',
    help: 'End of the last day the working-day calendar covers (working-day periods cannot be counted beyond it)',
    labelNames: ['calendar'] as const,
    registers,
  }),
};

/** Records the audit chain monitor's run: only the last result is exported. */
export function recordAuditVerification(intact: boolean, at: Date): void {
  metrics.auditVerification.reset();
  metrics.auditVerification.set({ result: intact ? 'intact' : 'broken' }, at.getTime() / 1000);
}

/** Records how far the working-day calendar reaches (`to`: its last covered day, YYYY-MM-DD). */
export function recordCalendarCoverage(calendar: string, to: string): void {
  metrics.calendarCoverage.reset();
  metrics.calendarCoverage.set({ calendar }, Date.parse(`${to}T00:00:00Z`) / 1000 + 86_400);
}

/** Records a screening committed (after the transaction: a rolled-back one is not counted). */
export function recordScreening(outcome: string, receivedAt: Date, screenedAt: Date): void {
  metrics.screenings.inc({ outcome });
  metrics.screeningLag.observe(Math.max(0, (screenedAt.getTime() - receivedAt.getTime()) / 1000));
}
