import { createHash } from 'node:crypto';
import { amzDate, canonicalKeyPath, SigV4Signer } from './sigv4';

/**
 * The adapter's own SigV4 (sigv4.ts) against the example of the S3 documentation ("Signature Calculations for
 * the Authorization Header", GET object with a Range header): same credentials, date and headers, same
 * signature. The signing key is kept for the day: another day's request is signed with that day's key.
 */
describe('SigV4Signer', () => {
  const signer = () =>
    new SigV4Signer('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'us-east-1');
  const emptySha256 = createHash('sha256').update('').digest('hex');
  const example = (date: string) => ({
    host: 'examplebucket.s3.amazonaws.com',
    range: 'bytes=0-9',
    'x-amz-content-sha256': emptySha256,
    'x-amz-date': date,
  });

  it('signs the documented example as documented', () => {
    expect(signer().authorization('GET', '/test.txt', example('20130524T000000Z'), emptySha256)).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it("derives another day's key for another day, and signs the first day's again as before", () => {
    const s = signer();
    const first = s.authorization('GET', '/test.txt', example('20130524T000000Z'), emptySha256);
    const next = s.authorization('GET', '/test.txt', example('20130525T000000Z'), emptySha256);
    expect(next).toContain('/20130525/us-east-1/s3/aws4_request');
    expect(next.slice(-64)).not.toBe(
      signer().authorization('GET', '/test.txt', example('20130524T000000Z'), emptySha256).slice(-64),
    );
    expect(s.authorization('GET', '/test.txt', example('20130524T000000Z'), emptySha256)).toBe(first);
  });

  it('refuses a request without its date', () => {
    expect(() => signer().authorization('GET', '/x', { host: 'h' }, emptySha256)).toThrow(/x-amz-date/);
  });

  it('dates and paths in their canonical forms', () => {
    expect(amzDate(new Date('2026-12-06T10:15:00.123Z'))).toBe('20261206T101500Z');
    expect(canonicalKeyPath('evidence/ab/a b+c(1)*')).toBe('evidence/ab/a%20b%2Bc%281%29%2A');
  });
});
