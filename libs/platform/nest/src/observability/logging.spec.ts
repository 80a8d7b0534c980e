import { Writable } from 'node:stream';
import pino from 'pino';
import { loggableUrl, REDACTED_PATHS, redactQuery, responseLogLevel } from './logging';

describe('log redaction', () => {
  it('never writes phone numbers, ID numbers, passwords or tokens', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def.ghi', 'x-signature': 'f00d' } },
      owner: { name: '张三', phone: '13800138000', idNumber: '430121199001011234' },
      user: { password: 'hunter2-hunter2', accessToken: 'tok' },
      party: { contact: { phone: '13900139000' } },
      vehicle: { plate: '湘F12345', ownerPhone: '13700137000', ownerIdNumber: '43010219850612302X' },
      driver: { idNo: '430521199003071235', qualificationCertificateNo: '430121197811304569' },
      body: { rows: [{ name: '李四', phone: '13600136000' }] },
    });
    const line = lines.join('');
    for (const secret of [
      '13800138000',
      '430121199001011234',
      'hunter2',
      'abc.def.ghi',
      'f00d',
      '"tok"',
      '13900139000',
      '13700137000',
      '43010219850612302X',
      '430521199003071235',
      '430121197811304569',
      '13600136000',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
    expect(line).toContain('张三');
  });
});

describe('redactQuery', () => {
  it('cuts credentials out of a logged URL and leaves the rest', () => {
    expect(redactQuery('/api/v1/leads?access_token=eyJabc.def&limit=5')).toBe(
      '/api/v1/leads?access_token=[redacted]&limit=5',
    );
    expect(redactQuery('/x?limit=5&Token=abc')).toBe('/x?limit=5&Token=[redacted]');
    expect(redactQuery('/api/v1/leads?limit=5')).toBe('/api/v1/leads?limit=5');
  });
});

describe('request log levels', () => {
  it('logs a 503 (an outage answered, load shed) as a warning, other 5xx as errors', () => {
    expect(responseLogLevel(503, new Error('failed with status code 503'))).toBe('warn');
    expect(responseLogLevel(500, new Error('failed with status code 500'))).toBe('error');
    expect(responseLogLevel(404)).toBe('warn');
    expect(responseLogLevel(202)).toBe('info');
  });
});

describe('logged URLs', () => {
  it('leave out the secret segment of a delivery-report URL, and nothing else', () => {
    expect(loggableUrl('/api/v1/notices/receipts/aliyun/s3cr3t-token-value?x=1')).toBe(
      '/api/v1/notices/receipts/aliyun/[redacted]?x=1',
    );
    expect(loggableUrl('/api/v1/notices/receipts/http')).toBe('/api/v1/notices/receipts/http');
    expect(loggableUrl('/api/v1/leads/0f1e')).toBe('/api/v1/leads/0f1e');
  });
});
