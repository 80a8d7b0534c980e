/**
 * Which failures mean "a dependency is unavailable" — Postgres, Redis or the object store could not be
 * reached, lost the connection, or did not answer in time — as opposed to a bug or a refused request. The one
 * place that knows the shapes the drivers give them (node-postgres, Prisma's pg adapter, ioredis, minio and
 * Node's sockets): the problem filter answers them 503 with Retry-After, a caller may retry them.
 */
export type Dependency = 'database' | 'redis' | 'storage';

export type FailureReason = 'unreachable' | 'connection lost' | 'timeout' | 'shutting down' | 'overloaded';

export interface DependencyFailureInfo {
  dependency: Dependency;
  reason: FailureReason;
}

/** A failure already attributed where it happened (the object-store adapter, a deadline of our own). */
export class DependencyFailure extends Error {
  constructor(
    readonly dependency: Dependency,
    readonly reason: FailureReason,
    options?: { cause?: unknown },
  ) {
    super(`${DEPENDENCY_NAMES[dependency]}: ${reason}`, options);
    this.name = 'DependencyFailure';
  }
}

export const DEPENDENCY_NAMES: Readonly<Record<Dependency, string>> = {
  database: 'the database',
  redis: 'the queue store (Redis)',
  storage: 'the object store',
};

/** Where each dependency listens: a bare socket error (no driver around it) is attributed by its port. */
export type DependencyPorts = Partial<Record<Dependency, number[]>>;

/**
 * The ports of the configured URLs (the scheme's default port when the URL names none); a dependency of
 * several nodes (a Redis Cluster, Sentinels) gives one URL per node.
 */
export function dependencyPorts(
  urls: Partial<Record<Dependency, string | string[] | undefined>>,
): DependencyPorts {
  const defaults: Record<string, number> = {
    'postgres:': 5432,
    'postgresql:': 5432,
    'redis:': 6379,
    'rediss:': 6379,
    'http:': 80,
    'https:': 443,
  };
  const ports: DependencyPorts = {};
  for (const [dependency, texts] of Object.entries(urls) as [Dependency, string | string[] | undefined][]) {
    for (const text of [texts ?? []].flat()) {
      const url = new URL(text);
      const port = url.port ? Number(url.port) : defaults[url.protocol];
      if (port) (ports[dependency] ??= []).push(port);
    }
  }
  return ports;
}

/** Postgres SQLSTATEs of an unavailable server: connection exceptions, shutdown, cancelled by timeout, resources. */
function sqlStateReason(code: string): FailureReason | null {
  if (code.startsWith('08')) return 'connection lost';
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'shutting down';
  // 57014 query_canceled (statement_timeout), 25P03 idle_in_transaction_session_timeout, 55P03 lock_not_available
  if (code === '57014' || code === '25P03' || code === '55P03') return 'timeout';
  if (code.startsWith('53')) return 'overloaded';
  return null;
}

/** Prisma's error codes for a database it cannot reach or that did not answer in time. */
const PRISMA_CODES: Readonly<Record<string, FailureReason>> = {
  P1001: 'unreachable',
  P1002: 'timeout',
  P1008: 'timeout',
  P1017: 'connection lost',
  P2024: 'timeout', // no free connection in the pool in time
  P2028: 'timeout', // an interactive transaction that could not start, or expired
  P2037: 'overloaded',
};

/** The kinds of Prisma's pg adapter errors (DriverAdapterError.cause.kind). */
const ADAPTER_KINDS: Readonly<Record<string, FailureReason>> = {
  DatabaseNotReachable: 'unreachable',
  ConnectionClosed: 'connection lost',
  SocketTimeout: 'timeout',
  TooManyConnections: 'overloaded',
};

/** node-postgres's own errors, which carry no code (pg 8). */
const PG_MESSAGES: ReadonlyArray<[RegExp, FailureReason]> = [
  [/^Connection terminated due to connection timeout$/, 'timeout'],
  [/^timeout exceeded when trying to connect$/, 'timeout'],
  [/^Query read timeout$/, 'timeout'],
  [/^Connection terminated( unexpectedly)?$/, 'connection lost'],
  [/^Client has encountered a connection error and is not queryable$/, 'connection lost'],
  [/^Client was closed and is not queryable$/, 'connection lost'],
];

/** ioredis's errors of a connection that is not usable, and Redis's own "not now" replies. */
const REDIS_MESSAGES: ReadonlyArray<[RegExp, FailureReason]> = [
  [/^Connection is closed\.$/, 'connection lost'],
  [/^Stream isn't writeable and enableOfflineQueue options is false$/, 'unreachable'],
  [/^Reached the max retries per request limit/, 'unreachable'],
  [/^Command timed out$/, 'timeout'],
  [/^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN) /, 'shutting down'],
];

const SOCKET_CODES: Readonly<Record<string, FailureReason>> = {
  ECONNREFUSED: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  ECONNRESET: 'connection lost',
  ECONNABORTED: 'connection lost',
  EPIPE: 'connection lost',
  ERR_STREAM_PREMATURE_CLOSE: 'connection lost',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
};

/** S3 error codes of a store that is there but cannot serve now (the others are answers, not outages). */
const S3_CODES: Readonly<Record<string, FailureReason>> = {
  InternalError: 'unreachable',
  ServiceUnavailable: 'overloaded',
  SlowDown: 'overloaded',
  RequestTimeout: 'timeout',
};

type Shape = {
  /** Set by a connection of ours that knows whose it is (the Postgres pool: `database`). */
  dependency?: unknown;
  name?: unknown;
  message?: unknown;
  code?: unknown;
  kind?: unknown;
  severity?: unknown;
  originalCode?: unknown;
  port?: unknown;
  meta?: { driverAdapterError?: unknown };
  cause?: unknown;
};

/** The error and what it wraps (cause chains, Prisma's driver adapter error), outermost first. */
function* layers(error: unknown): Generator<Shape> {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 10) {
    const next = pending.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    const shape = next as Shape;
    yield shape;
    pending.push(shape.meta?.driverAdapterError, shape.cause);
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function postgresFailure(layer: Shape): FailureReason | null {
  const name = text(layer.name);
  if (name === 'PrismaClientInitializationError') return 'unreachable';
  if (name.startsWith('PrismaClient') && PRISMA_CODES[text(layer.code)])
    return PRISMA_CODES[text(layer.code)]!;
  const kind = text(layer.kind);
  if (ADAPTER_KINDS[kind]) return ADAPTER_KINDS[kind]!;
  // A server error: node-postgres's DatabaseError (severity + code) or the adapter's mapped one (kind postgres).
  const sqlState =
    text(layer.originalCode) || (layer.severity || kind === 'postgres' ? text(layer.code) : '');
  if (/^[0-9A-Z]{5}$/.test(sqlState)) return sqlStateReason(sqlState);
  if (name === 'Error' || name === '') {
    const message = text(layer.message);
    return PG_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? null;
  }
  return null;
}

function redisFailure(layer: Shape): FailureReason | null {
  if (layer.name === 'MaxRetriesPerRequestError') return 'unreachable';
  const message = text(layer.message);
  return REDIS_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}

/**
 * Whether a failed request to an HTTP dependency (the object store) was a transport failure or an outage
 * (refused, reset, timed out, a 5xx or "slow down" answer) rather than an answer such as "no such key".
 */
export function transportFailureReason(error: unknown): FailureReason | null {
  for (const layer of layers(error)) {
    if (layer instanceof DependencyFailure) return layer.reason;
    const code = text(layer.code);
    if (SOCKET_CODES[code]) return SOCKET_CODES[code]!;
    if (S3_CODES[code]) return S3_CODES[code]!;
    const message = text(layer.message);
    // minio-js retries 5xx answers and then gives up with these messages.
    if (/^(Retryable HTTP status: 5\d\d|Request failed after \d+ retries)/.test(message))
      return 'unreachable';
    if (message === 'socket hang up' || message === 'aborted') return 'connection lost';
  }
  return null;
}

/**
 * The dependency whose unavailability an error reports, and why; null for any other error (a bug, a refused
 * request, a constraint violation). `ports` attributes bare socket errors that no driver wrapped.
 */
export function dependencyFailureOf(
  error: unknown,
  ports: DependencyPorts = {},
): DependencyFailureInfo | null {
  for (const layer of layers(error)) {
    if (layer instanceof DependencyFailure) return { dependency: layer.dependency, reason: layer.reason };
    const socket = SOCKET_CODES[text(layer.code)];
    if (
      socket &&
      (layer.dependency === 'database' || layer.dependency === 'redis' || layer.dependency === 'storage')
    ) {
      return { dependency: layer.dependency, reason: socket };
    }
    const database = postgresFailure(layer);
    if (database) return { dependency: 'database', reason: database };
    const redis = redisFailure(layer);
    if (redis) return { dependency: 'redis', reason: redis };
    if (socket && typeof layer.port === 'number') {
      const owner = (Object.entries(ports) as [Dependency, number[]][]).find(([, list]) =>
        list.includes(layer.port as number),
      );
      if (owner) return { dependency: owner[0], reason: socket };
    }
  }
  return null;
}
