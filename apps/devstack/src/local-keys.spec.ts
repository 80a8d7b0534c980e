import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalKeys } from './local-keys';

describe('the keys npm start keeps per installation', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecc-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates each key once, in a file only its owner can read, and reuses it', () => {
    const file = join(dir, 'data', 'keys.env');
    const first = ensureLocalKeys(file, {});
    expect(first.generated.sort()).toEqual(['AUDIT_SIGNING_KEY', 'JWT_SECRET', 'SECRETS_KEY']);
    expect(first.keys['SECRETS_KEY']).toMatch(/^[0-9a-f]{64}$/);
    expect(first.keys['SECRETS_KEY']).not.toBe(first.keys['AUDIT_SIGNING_KEY']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = ensureLocalKeys(file, {});
    expect(again.generated).toEqual([]);
    expect(again.keys).toEqual(first.keys);
  });

  it('lets the environment win and does not write its keys into the file', () => {
    const file = join(dir, 'keys.env');
    const { keys, generated } = ensureLocalKeys(file, { SECRETS_KEY: 'ab'.repeat(32) });
    expect(keys['SECRETS_KEY']).toBe('ab'.repeat(32));
    expect(generated).not.toContain('SECRETS_KEY');
    expect(readFileSync(file, 'utf8')).not.toContain('ab'.repeat(32));
  });

  it('tightens a file found with a looser mode', () => {
    const file = join(dir, 'keys.env');
    ensureLocalKeys(file, {});
    chmodSync(file, 0o644);
    ensureLocalKeys(file, {});
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
