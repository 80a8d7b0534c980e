import autocannon from 'autocannon';
import { Pool } from 'undici';

/** One load run: autocannon against 127.0.0.1, every request built (and signed) just before it is sent. */
export interface LoadRun {
  url: string;
  path: string;
  connections: number;
  durationSeconds: number;
  /** Fixed total request rate; absent: as fast as the server answers. */
  overallRate?: number;
  /** The n-th request's headers and body. */
  request(n: number): { headers: Record<string, string>; body: string | Buffer };
}

export interface LoadResult {
  requests: number;
  seconds: number;
  byStatus: Record<string, number>;
  /** 2xx answers per second over the run. */
  okPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  /** Requests built; the last n used, so callers know which detection ids were sent. */
  built: number;
}

export async function runLoad(run: LoadRun): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(run.url)) throw new Error(`load only to 127.0.0.1, not ${run.url}`);
  let n = 0;
  const started = performance.now();
  const result = await autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.durationSeconds,
    ...(run.overallRate ? { overallRate: run.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: run.path,
        setupRequest: (request) => {
          const { headers, body } = run.request(n++);
          return { ...request, headers: { ...request.headers, ...headers }, body };
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const byStatus = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat?.count ?? 0]),
  );
  return {
    requests: result.requests.total,
    seconds,
    byStatus,
    okPerSecond: result['2xx'] / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    built: n,
  };
}

export interface PacedRun extends Omit<LoadRun, 'overallRate'> {
  /** Requests per second, sent evenly spaced: request n is due at n / rate seconds after the start. */
  rate: number;
}

export interface PacedResult extends LoadResult {
  /** How late the generator itself sent requests (due time to send), to tell a lagging generator from a slow API. */
  sendLagMs: { p99: number; max: number };
  /** Latency p50 / p99 / max of the requests due in each second of the run: a steady queue or passing stalls. */
  bySecond: { second: number; p50: number; p99: number; max: number }[];
}

/**
 * An open-loop load at a fixed rate, evenly spaced, as stations send (autocannon's `overallRate` is not that:
 * each connection sends its share of a second back to back at the start of every second, so its "1,000/s" is
 * bursts of 1,000 at full speed). Latency is measured from the time a request was due, not from when a
 * connection was free to send it, so waiting for a connection (at most `connections`, keep-alive) counts: a slow server cannot hide behind a load generator that waits for it (coordinated omission).
 */
export async function runPaced(run: PacedRun): Promise<PacedResult> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(run.url)) throw new Error(`load only to 127.0.0.1, not ${run.url}`);
  // undici: a lean client, so that the generator takes little of the CPU it shares with what it measures.
  const pool = new Pool(run.url, { connections: run.connections, pipelining: 1 });
  const intervalMs = 1000 / run.rate;
  const total = Math.round(run.rate * run.durationSeconds);
  // Built and signed before the run (their timestamps stay well within the replay window), so that the
  // generator spends its share of the CPU on sending, as stations elsewhere would.
  const requests = Array.from({ length: total }, (_, n) => run.request(n));
  const latencies: number[] = [];
  const lags: number[] = [];
  const byStatus: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let okCount = 0;
  let sent = 0;
  let lastAnswer = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  const perSecond: number[][] = [];
  const send = async (n: number, due: number) => {
    const { headers, body } = requests[n]!;
    lags.push(performance.now() - due);
    try {
      const response = await pool.request({
        method: 'POST',
        path: run.path,
        headers,
        body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await response.body.dump();
      const status = String(response.statusCode);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      lastAnswer = performance.now();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        okCount++;
        latencies.push(lastAnswer - due);
        const second = Math.floor((due - started) / 1000);
        (perSecond[second] ??= []).push(lastAnswer - due);
      }
    } catch (error) {
      // Counted as errors, and timeouts (no answer within 30 s) also on their own, as autocannon does.
      errors++;
      const code = (error as { code?: string }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') timeouts++;
    }
  };
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) {
        pending.push(send(sent, started + sent * intervalMs));
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
      else done();
    };
    tick();
  });
  await Promise.all(pending);
  await pool.close();
  const seconds = (lastAnswer - started) / 1000;
  const percentile = (values: number[], p: number) => {
    if (values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  };
  return {
    requests: sent,
    seconds,
    byStatus,
    okPerSecond: okCount / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    errors,
    timeouts,
    built: sent,
    sendLagMs: { p99: percentile(lags, 99), max: percentile(lags, 100) },
    bySecond: perSecond.map((values, second) => ({
      second,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      max: percentile(values, 100),
    })),
  };
}
