import autocannon from 'autocannon';

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
