import { LEAD_STATUSES, type LeadStatus as DomainLeadStatus } from '@ecc/leads-domain';
import { LeadStatus } from '@ecc/shared-data';
import { assertType, valuesOf, type Equal } from '@ecc/shared-kernel';

/** One vocabulary (issue 12): the schema's lead_status is the lifecycle's LEAD_STATUSES. */
describe('the schema enum of the lead lifecycle', () => {
  it('lead_status is LEAD_STATUSES', () => {
    assertType<Equal<LeadStatus, DomainLeadStatus>>(true);
    expect(valuesOf(LeadStatus)).toEqual(valuesOf(LEAD_STATUSES));
  });
});
