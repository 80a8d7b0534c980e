import { DomainError } from '@ecc/shared-kernel';
import {
  assertAlertTransition,
  assertFenceLiftable,
  fenceChannels,
  interceptionFrame,
  listAlertsQuerySchema,
  recordResponseSchema,
  resolveAlertSchema,
  type InterceptionAlertView,
} from './index';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};

describe('interception alert lifecycle', () => {
  it('goes open → acknowledged → resolved, and may be resolved straight from open', () => {
    expect(assertAlertTransition('open', 'acknowledge')).toBe('acknowledged');
    expect(assertAlertTransition('acknowledged', 'resolve')).toBe('resolved');
    expect(assertAlertTransition('open', 'resolve')).toBe('resolved');
  });

  it('refuses to acknowledge twice or to touch a resolved alert', () => {
    expect(code(() => assertAlertTransition('acknowledged', 'acknowledge'))).toBe('alert_not_open');
    expect(code(() => assertAlertTransition('resolved', 'acknowledge'))).toBe('alert_not_open');
    expect(code(() => assertAlertTransition('resolved', 'resolve'))).toBe('alert_resolved');
  });

  it('lifts a fence once', () => {
    expect(() => assertFenceLiftable('active')).not.toThrow();
    expect(code(() => assertFenceLiftable('lifted'))).toBe('fence_not_active');
  });
});

describe('fence schemas', () => {
  it('takes a response with an instant, a known channel and an optional note, nothing else', () => {
    const ok = { respondedAt: '2026-11-28T09:00:00+08:00', channel: 'in_person', note: ' 到站接受调查 ' };
    expect(recordResponseSchema.parse(ok)).toEqual({ ...ok, note: '到站接受调查' });
    expect(recordResponseSchema.safeParse({ ...ok, channel: 'fax' }).success).toBe(false);
    expect(recordResponseSchema.safeParse({ ...ok, respondedAt: '2026-11-28' }).success).toBe(false);
    expect(recordResponseSchema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
    expect(resolveAlertSchema.safeParse({ resolution: '   ' }).success).toBe(false);
  });

  it('lists alerts by a known status with a bounded limit', () => {
    expect(listAlertsQuerySchema.parse({ status: 'open' })).toEqual({ status: 'open', limit: 50 });
    expect(listAlertsQuerySchema.safeParse({ status: 'closed' }).success).toBe(false);
    expect(listAlertsQuerySchema.safeParse({ limit: '1000' }).success).toBe(false);
  });
});

describe('fence events', () => {
  it('keeps the channels of one environment apart from another', () => {
    expect(fenceChannels('ecc')).toEqual({ changed: 'ecc:fences:changed', alerts: 'ecc:fences:alerts' });
  });

  it('writes an alert as one SSE frame of event interception', () => {
    const alert = { id: 'a1', plate: '湘F12345', detectionId: 'd1' } as InterceptionAlertView;
    const frame = interceptionFrame(alert);
    expect(frame).toBe(`id: a1\nevent: interception\ndata: ${JSON.stringify(alert)}\n\n`);
    expect(frame.slice(0, -2)).not.toContain('\n\n');
  });
});
