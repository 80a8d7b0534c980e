import { homeAuthorityReportRequired } from '@ecc/cases-domain';
import { approval, type StageEffects } from './action-effects';

export const CLOSING_EFFECTS: StageEffects = {
  close_case: {
    // The checks other contexts register (case-file evaluation): they may refuse, or be overridden in writing.
    decided: async (c, body) => {
      const closingChecks = await c.closingChecks.run(c.tx, {
        caseId: c.caseId,
        ctx: c.ctx,
        now: c.now,
        ...(body.overrideReason ? { overrideReason: body.overrideReason } : {}),
      });
      return closingChecks ? { audit: { closingChecks } } : {};
    },
    records: async (c) => {
      await approval(c, 'closing', 'approved');
      return { closedAt: c.now };
    },
    documents: async (c) => {
      await c.make('closing_report');
      if (homeAuthorityReportRequired(c.next)) await c.make('home_authority_report');
    },
  },

  record_home_authority_report: {
    records: async (c) => ({ homeAuthorityReportedAt: c.next.homeAuthorityReport!.reportedAt }),
  },

  record_publicity: {
    records: async (c) => {
      await c.tx.decision.update({
        where: { caseId: c.caseId },
        data: { publishedAt: c.next.publicity!.publishedAt },
      });
    },
  },

  archive: {
    records: async (c) => ({ archivedAt: c.now }),
  },
};
