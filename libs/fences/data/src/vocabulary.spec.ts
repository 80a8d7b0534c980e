import { ALERT_STATUSES, FENCE_STATUSES, type AlertStatus as DomainAlertStatus } from '@ecc/fences-domain';
import { AlertStatus, FenceStatus } from '@ecc/shared-data';
import { assertType, valuesOf, type Equal } from '@ecc/shared-kernel';

/** One vocabulary (issue 12): the schema's fence and interception-alert statuses are the fences' own. */
describe('the schema enums of the electronic fence', () => {
  it('fence_status is FENCE_STATUSES and alert_status is ALERT_STATUSES', () => {
    assertType<Equal<FenceStatus, (typeof FENCE_STATUSES)[number]>>(true);
    assertType<Equal<AlertStatus, DomainAlertStatus>>(true);
    expect(valuesOf(FenceStatus)).toEqual(valuesOf(FENCE_STATUSES));
    expect(valuesOf(AlertStatus)).toEqual(valuesOf(ALERT_STATUSES));
  });
});
