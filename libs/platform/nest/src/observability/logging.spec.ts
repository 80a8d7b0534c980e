import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logging';

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
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
    expect(line).toContain('张三');
  });
});
