import { loadConfig } from '@ecc/shared-config';
import { AuditChainMonitor } from './audit-chain-monitor';
import type {
  AuditVerification,
  VerifiedThrough,
  VerifyAuditChainUseCase,
} from './verify-audit-chain.use-case';

const HOUR = 3_600_000;

function monitor() {
  let now = Date.UTC(2026, 10, 28, 8);
  const calls: (string | undefined)[] = [];
  let nextOk = true;
  let head = 10;
  const verify = {
    execute: async (since?: VerifiedThrough) => {
      calls.push(since?.chainSeq.toString());
      return {
        ok: nextOk,
        verifiedThrough: nextOk ? { chainSeq: String(head), hash: 'h'.repeat(64) } : null,
      } as AuditVerification;
    },
  } as unknown as VerifyAuditChainUseCase;
  const config = loadConfig({ AUDIT_FULL_VERIFY_INTERVAL_MS: String(24 * HOUR) });
  const m = new AuditChainMonitor(config, { now: () => new Date(now) }, {} as never, verify, {} as never);
  // Alerting is not what is tested here.
  m.raiseAlerts = async () => 0;
  return {
    m,
    calls,
    advance: (ms: number) => (now += ms),
    grow: (n: number) => (head += n),
    fail: (failing: boolean) => (nextOk = !failing),
  };
}

describe('AuditChainMonitor: full runs, and runs since the last verified event in between', () => {
  it('runs in full first, then from where it got to, and in full again once a day', async () => {
    const { m, calls, advance, grow } = monitor();
    await m.sweep();
    grow(5);
    advance(HOUR);
    await m.sweep();
    advance(HOUR);
    await m.sweep();
    advance(23 * HOUR);
    await m.sweep();
    expect(calls).toEqual([undefined, '10', '15', undefined]);
  });

  it('after a break runs in full until the chain verifies again', async () => {
    const { m, calls, advance, fail } = monitor();
    await m.sweep();
    fail(true);
    advance(HOUR);
    await m.sweep();
    advance(HOUR);
    await m.sweep();
    fail(false);
    advance(HOUR);
    await m.sweep();
    advance(HOUR);
    await m.sweep();
    expect(calls).toEqual([undefined, '10', undefined, undefined, '10']);
  });
});
