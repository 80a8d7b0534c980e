/**
 * Where Redis is, read from REDIS_URL. Three forms:
 *
 * - `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS): one server;
 * - `redis+cluster://[user:password@]host:port[,host:port…]` (or `rediss+cluster://`): a Redis Cluster — any
 *   reachable nodes, the client learns the rest from them;
 * - `redis+sentinel://[user:password@]host:port[,host:port…]/<master name>[/db]` (or `rediss+sentinel://`):
 *   the master that these Sentinels name, followed through failovers; `?sentinelPassword=…` when the
 *   Sentinels themselves require one.
 *
 * Errors name what is wrong, never the text itself: a REDIS_URL carries a password.
 */
export interface RedisNode {
  host: string;
  port: number;
}

interface RedisAuth {
  tls: boolean;
  username?: string;
  password?: string;
}

export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | ({ mode: 'cluster'; nodes: RedisNode[] } & RedisAuth)
  | ({
      mode: 'sentinel';
      sentinels: RedisNode[];
      masterName: string;
      db: number;
      sentinelPassword?: string;
    } & RedisAuth);

const DEFAULT_PORT = { cluster: 6379, sentinel: 26379 } as const;
const FORM = /^(rediss?)\+(cluster|sentinel):\/\/(?:([^@/?#]*)@)?([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;

export class RedisUrlError extends Error {}

export function parseRedisTarget(text: string): RedisTarget {
  if (/^rediss?:\/\//.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new RedisUrlError('not a valid redis:// URL');
    }
    return { mode: 'standalone', url: text };
  }
  const match = FORM.exec(text);
  if (!match) {
    throw new RedisUrlError(
      'must be redis://, rediss://, redis+cluster://host:port,… or redis+sentinel://host:port,…/master',
    );
  }
  const [, scheme, mode, userInfo, hostList, path = '', query = ''] = match as unknown as [
    string,
    'redis' | 'rediss',
    'cluster' | 'sentinel',
    string | undefined,
    string,
    string | undefined,
    string | undefined,
  ];
  const auth: RedisAuth = { tls: scheme === 'rediss', ...credentials(userInfo) };
  const nodes = hostList.split(',').map((entry) => node(entry, DEFAULT_PORT[mode]));
  const params = new URLSearchParams(query);
  const unknown = [...params.keys()].filter((k) => !(mode === 'sentinel' && k === 'sentinelPassword'));
  if (unknown.length > 0) throw new RedisUrlError(`unknown parameter ${unknown.join(', ')}`);
  const segments = path.split('/').filter(Boolean);

  if (mode === 'cluster') {
    // A cluster has only database 0.
    if (segments.length > 0)
      throw new RedisUrlError('a cluster URL takes no path (a cluster has no databases)');
    return { mode, nodes, ...auth };
  }
  const [masterName, db = '0', ...rest] = segments.map(decodeURIComponent);
  if (!masterName)
    throw new RedisUrlError('a sentinel URL names the master: redis+sentinel://host:port/<master>');
  if (rest.length > 0 || !/^\d{1,2}$/.test(db))
    throw new RedisUrlError('the database after the master name must be a number');
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return {
    mode,
    sentinels: nodes,
    masterName,
    db: Number(db),
    ...auth,
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

function credentials(userInfo: string | undefined): { username?: string; password?: string } {
  if (!userInfo) return {};
  const colon = userInfo.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
  const password = colon < 0 ? undefined : decodeURIComponent(userInfo.slice(colon + 1));
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function node(entry: string, defaultPort: number): RedisNode {
  // host, host:port, [v6 address]:port
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry.trim());
  const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
  if (!match || port < 1 || port > 65535) throw new RedisUrlError('every node must be host or host:port');
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

/** One URL per node of the target (for telling which dependency a bare socket error came from). */
export function redisNodeUrls(target: RedisTarget): string[] {
  if (target.mode === 'standalone') return [target.url];
  const nodes = target.mode === 'cluster' ? target.nodes : target.sentinels;
  return nodes.map((n) => `redis://${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`);
}
