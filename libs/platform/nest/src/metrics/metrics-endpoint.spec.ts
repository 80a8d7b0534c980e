import { answerScrape } from './metrics-endpoint';
import { problemCodeOf } from './http-metrics';
import { metrics } from './metrics';

describe('GET /metrics', () => {
  const token = 't'.repeat(40);

  it('does not exist without a configured token', async () => {
    expect((await answerScrape(`Bearer ${token}`, undefined)).status).toBe(404);
    expect((await answerScrape(undefined, undefined)).status).toBe(404);
  });

  it('wants the configured bearer token', async () => {
    expect((await answerScrape(undefined, token)).status).toBe(401);
    expect((await answerScrape(token, token)).status).toBe(401);
    expect((await answerScrape(`Basic ${token}`, token)).status).toBe(401);
    expect((await answerScrape(`Bearer ${token}x`, token)).status).toBe(401);
    expect((await answerScrape(`Bearer ${token.slice(1)}`, token)).status).toBe(401);
  });

  it('answers the Prometheus text format to the bearer', async () => {
    metrics.screenings.inc({ outcome: 'lead' });
    const answer = await answerScrape(`Bearer ${token}`, token);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toContain('# TYPE ecc_screenings_total counter');
    expect(answer.body).toMatch(/^ecc_screenings_total\{outcome="lead"\} 1$/m);
  });
});

describe('the reason of a refused detection', () => {
  it('is the problem code, bounded', () => {
    expect(problemCodeOf('{"status":401,"code":"invalid_signature"}')).toBe('invalid_signature');
    expect(problemCodeOf(Buffer.from('{"code":"rate_limited"}'))).toBe('rate_limited');
    expect(problemCodeOf('{"code":"Not A Code <script>"}')).toBeUndefined();
    expect(problemCodeOf('not json')).toBeUndefined();
    expect(problemCodeOf(undefined)).toBeUndefined();
  });
});
