import { ConfigError, describeConfig, loadConfig, queueKeyPrefix } from './app-config';
import { parseRedisTarget, redisNodeUrls } from './redis-target';

describe('REDIS_URL', () => {
  it('passes a single server URL through as it is', () => {
    expect(parseRedisTarget('redis://:pw@cache:6380/2')).toEqual({
      mode: 'standalone',
      url: 'redis://:pw@cache:6380/2',
    });
    expect(parseRedisTarget('rediss://cache')).toEqual({ mode: 'standalone', url: 'rediss://cache' });
  });

  it('reads a cluster: its seed nodes (default port 6379), credentials and TLS', () => {
    expect(parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,redis-3')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: 'redis-3', port: 6379 },
      ],
      tls: false,
    });
    expect(parseRedisTarget('rediss+cluster://app:p%40ss@[fd00::1]:7000')).toEqual({
      mode: 'cluster',
      nodes: [{ host: 'fd00::1', port: 7000 }],
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
    expect(parseRedisTarget('redis+cluster://:secret@h:1')).toMatchObject({ password: 'secret' });
  });

  it('reads Sentinels: their addresses (default port 26379), the master name, the database', () => {
    expect(parseRedisTarget('redis+sentinel://:pw@s1,s2:26380/ecc-master/3?sentinelPassword=s%2Fp')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      masterName: 'ecc-master',
      db: 3,
      tls: false,
      password: 'pw',
      sentinelPassword: 's/p',
    });
    expect(parseRedisTarget('rediss+sentinel://s1/m')).toMatchObject({ masterName: 'm', db: 0, tls: true });
  });

  it.each([
    ['http://cache:6379', /must be redis:\/\//],
    ['redis+cluster://', /must be/],
    ['redis+cluster://h1:7000,,h2:7001', /every node/],
    ['redis+cluster://h1:99999', /every node/],
    ['redis+cluster://h1:7000/0', /takes no path/],
    ['redis+cluster://h1:7000?tls=1', /unknown parameter tls/],
    ['redis+sentinel://s1:26379', /names the master/],
    ['redis+sentinel://s1:26379/m/x', /database/],
    ['redis+sentinel://s1:26379/m/0/extra', /database/],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisTarget(url)).toThrow(message);
  });

  it('is refused at boot with the variable named and its password not echoed', () => {
    let error: unknown;
    try {
      loadConfig({ REDIS_URL: 'redis+cluster://:hunter2@h1:7000,:h2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/REDIS_URL: every node must be host or host:port/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('masks the passwords of every form when the configuration is logged', () => {
    for (const url of [
      'redis://:hunter2@cache:6379',
      'redis+cluster://app:hunter2@h1:7000,h2:7001',
      'redis+sentinel://:hunter2@s1/m?sentinelPassword=hunter2',
    ]) {
      const logged = JSON.stringify(describeConfig(loadConfig({ REDIS_URL: url })));
      expect(logged).not.toContain('hunter2');
    }
  });

  it('hash-tags the keys on a cluster: one slot for our own keys, one per queue', () => {
    const single = loadConfig({ QUEUE_PREFIX: 'ecc' }).redis;
    expect(single.keyPrefix).toBe('ecc');
    expect(queueKeyPrefix(single, 'screening')).toBe('ecc');

    const cluster = loadConfig({ REDIS_URL: 'redis+cluster://h1:7000', QUEUE_PREFIX: 'ecc' }).redis;
    expect(cluster.keyPrefix).toBe('{ecc}');
    expect(queueKeyPrefix(cluster, 'screening')).toBe('{ecc:screening}');
    expect(queueKeyPrefix(cluster, 'notices')).toBe('{ecc:notices}');

    const sentinel = loadConfig({ REDIS_URL: 'redis+sentinel://s1/m' }).redis;
    expect(sentinel.keyPrefix).toBe('ecc');
  });

  it('names one URL per node, for attributing socket errors by port', () => {
    expect(redisNodeUrls(parseRedisTarget('redis://h:6390'))).toEqual(['redis://h:6390']);
    expect(redisNodeUrls(parseRedisTarget('redis+cluster://h1:7000,[fd00::1]:7001'))).toEqual([
      'redis://h1:7000',
      'redis://[fd00::1]:7001',
    ]);
    expect(redisNodeUrls(parseRedisTarget('redis+sentinel://s1/m'))).toEqual(['redis://s1:26379']);
  });
});
