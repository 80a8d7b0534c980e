import { DomainError } from '@ecc/shared-kernel';
import type { AlertStatus } from './fence.schema';

/**
 * An interception alert goes open → acknowledged (the duty team has it) → resolved (what was done is
 * recorded). Resolving an open alert directly is allowed: the team may act before anyone acknowledges.
 */
export function assertAlertTransition(from: AlertStatus, action: 'acknowledge' | 'resolve'): AlertStatus {
  if (action === 'acknowledge') {
    if (from !== 'open')
      throw new DomainError(
        'conflict',
        'alert_not_open',
        `the alert is ${from}; only an open alert is acknowledged`,
      );
    return 'acknowledged';
  }
  if (from === 'resolved')
    throw new DomainError('conflict', 'alert_resolved', 'the alert is already resolved');
  return 'resolved';
}

/** A fence is lifted once; lifting keeps the row (history stays on the lead and the case). */
export function assertFenceLiftable(status: 'active' | 'lifted'): void {
  if (status !== 'active')
    throw new DomainError('conflict', 'fence_not_active', 'the fence has already been lifted');
}
