import { formatCaseNumber, parseCaseNumberPattern } from '@ecc/cases-domain';
import { liftFencesForLead } from '@ecc/fences-data';
import { localDate } from '@ecc/shared-kernel';
import { loadCaseOfficers } from '../case-officers';
import { approval, type AppliedScope, type StageEffects } from './action-effects';

/** The lead of a filed case goes on as a case: its status, and its vehicle's electronic fence is lifted. */
async function leadFiled(c: AppliedScope): Promise<void> {
  const leadId = c.loaded.row.leadId;
  if (!leadId) return;
  await c.tx.lead.update({ where: { id: leadId }, data: { status: 'filed' } });
  // 电子围栏: the case proceeds, so the vehicle's fence is lifted (kept, linked to the case, audited).
  await liftFencesForLead(c.tx, leadId, '案件已立案', { caseId: c.caseId, at: c.now });
}

export const FILING_EFFECTS: StageEffects = {
  approve_filing: {
    // Numbered only once the machine allowed the filing, so a refused filing takes no number.
    decided: async (c) => {
      const pattern = parseCaseNumberPattern(c.env.numberPattern);
      const year = Number(localDate(c.now, c.env.timeZone).slice(0, 4));
      const seq = await c.cases.nextCaseSequence(c.tx, year, c.env.numberPattern);
      return { input: { caseNumber: formatCaseNumber(pattern, year, seq) } };
    },
    records: async (c) => {
      await approval(c, 'filing', 'approved');
      await leadFiled(c);
      return { caseNumber: c.next.caseNumber ?? null, filedAt: c.now };
    },
    documents: async (c) => {
      await c.make('filing_approval');
    },
  },

  reject_filing: {
    records: async (c, _body, input) => {
      await approval(c, 'filing', 'rejected', input.reason);
    },
  },

  assign_officers: {
    // Certificates come from the users, never from the request (Art. 42 is checked on these).
    prepare: async (c, body) => ({ officers: await loadCaseOfficers(c.tx, body.officerIds) }),
    records: async (c, body) => {
      await c.cases.replaceOfficers(c.tx, c.caseId, body.officerIds, c.now);
    },
  },
};
