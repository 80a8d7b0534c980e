import { formatCaseNumber, parseCaseNumberPattern } from '@ecc/cases-domain';
import { localDate } from '@ecc/shared-kernel';
import { loadCaseOfficers } from '../case-officers';
import { approval, type StageEffects } from './action-effects';

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
      // The lead's status (filed) and its fences (lifted) follow through the after-action hooks of the
      // leads and fences contexts, in this transaction.
      await approval(c, 'filing', 'approved');
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
