import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('hex'));

  it('opens what it sealed, and never yields the plaintext in the sealed bytes', () => {
    const sealed = box.seal('station-secret-abc', 'S308-K12');
    expect(sealed.toString('latin1')).not.toContain('station-secret-abc');
    expect(box.open(sealed, 'S308-K12')).toBe('station-secret-abc');
    expect(box.seal('x').equals(box.seal('x'))).toBe(false);
  });

  it('refuses tampered boxes, other keys and other associated data', () => {
    const sealed = box.seal('station-secret-abc', 'S308-K12');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open(tampered, 'S308-K12')).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed, 'S308-K12')).toThrow();
    expect(() => box.open(sealed, 'S309-K01')).toThrow();
  });

  it('wants a 32-byte key', () => {
    expect(() => new SecretBox('abcd')).toThrow(/32 bytes/);
  });
});
