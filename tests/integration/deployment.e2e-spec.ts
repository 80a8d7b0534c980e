import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from 'js-yaml';

/**
 * The deployment's security properties (issue 14), read from docker/ itself: there is no Docker engine to run
 * it here, so what can be checked without one is checked on the files — a change that publishes the API's
 * port, hands the application the MinIO root credentials or drops the Redis password fails here.
 */
const docker = resolve(__dirname, '../../docker');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = load(readFileSync(`${docker}/compose.yaml`, 'utf8')) as {
  services: Record<string, Service>;
  'x-app-env': Record<string, string>;
};
const env = compose['x-app-env'];

describe('docker/ deployment', () => {
  it('publishes nothing but the TLS reverse proxy', () => {
    const published = Object.entries(compose.services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([name, s]) => [name, s.ports]);
    expect(published).toEqual([['proxy', ['443:443']]]);
    const caddy = readFileSync(`${docker}/caddy/Caddyfile`, 'utf8');
    expect(caddy).toMatch(/tls \/certs\/api\.crt \/certs\/api\.key/);
    expect(caddy).toMatch(/reverse_proxy \/api\/\* api:3000/);
  });

  it('gives the application its own MinIO user, limited to its bucket, without delete', () => {
    expect(env['S3_ACCESS_KEY']).toContain('S3_APP_ACCESS_KEY');
    expect(env['S3_SECRET_KEY']).toContain('S3_APP_SECRET_KEY');
    for (const service of ['api', 'worker']) {
      expect(JSON.stringify(compose.services[service])).not.toContain('MINIO_ROOT');
    }
    expect(compose.services['api']!.depends_on!['minio-init']).toEqual({
      condition: 'service_completed_successfully',
    });
    const policy = JSON.parse(readFileSync(`${docker}/minio/ecc-app-policy.json`, 'utf8')) as {
      Statement: { Action: string[]; Resource: string[] }[];
    };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions.filter((a) => /Delete|\*|Admin|PutBucket/i.test(a))).toEqual([]);
    expect(
      policy.Statement.flatMap((s) => s.Resource).every((r) => r.startsWith('arn:aws:s3:::ecc-evidence')),
    ).toBe(true);
    const init = readFileSync(`${docker}/minio/init.sh`, 'utf8');
    expect(init).toMatch(/mc mb --ignore-existing --with-lock/);
    expect(init).toMatch(/mc admin policy attach local ecc-app --user/);
  });

  it('locks the audit checkpoints, guards Redis with a password and signs evidence URLs for the public host', () => {
    expect(env['AUDIT_CHECKPOINT_RETENTION_DAYS']).toMatch(/:-\d+\}$/);
    expect(env['REDIS_URL']).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD/);
    expect(compose.services['redis']!.command).toContain('--requirepass');
    expect(env['S3_PUBLIC_ENDPOINT']).toMatch(/^https:\/\/\$\{ECC_EVIDENCE_HOST/);
    for (const key of ['JWT_SECRET', 'SECRETS_KEY', 'AUDIT_SIGNING_KEY']) expect(env[key]).toMatch(/:\?set /);
  });
});
