import { createHmac } from 'node:crypto';
import { hmacSha256Hex, pushSigningPayload, verifyHmacSha256 } from './signature';

describe('HMAC-SHA256 signatures (receipts and pushes)', () => {
  const secret = 'receipt-secret-0123456789';
  const body = Buffer.from('{"messageId":"m-1","status":"delivered"}');
  const good = createHmac('sha256', secret).update(body).digest('hex');

  it('computes the hex HMAC of the exact bytes', () => {
    expect(hmacSha256Hex(secret, body)).toBe(good);
  });

  it('accepts the right signature (any case, optional sha256= prefix)', () => {
    expect(verifyHmacSha256(secret, body, good)).toBe(true);
    expect(verifyHmacSha256(secret, body, good.toUpperCase())).toBe(true);
    expect(verifyHmacSha256(secret, body, `sha256=${good}`)).toBe(true);
  });

  it('refuses a wrong, malformed or missing signature, another secret and a changed body', () => {
    expect(
      verifyHmacSha256(
        secret,
        body,
        good.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toBe(false);
    expect(verifyHmacSha256(secret, body, 'not-hex')).toBe(false);
    expect(verifyHmacSha256(secret, body, undefined)).toBe(false);
    expect(verifyHmacSha256('another-secret-012345', body, good)).toBe(false);
    expect(verifyHmacSha256(secret, Buffer.from(`${body.toString()} `), good)).toBe(false);
  });

  it('signs a push over timestamp and body together', () => {
    expect(pushSigningPayload('1700000000000', '{}')).toBe('1700000000000.{}');
  });
});
