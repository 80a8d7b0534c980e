import { homeAuthorityReportRequired } from '@ecc/cases-domain';
import { approval, type ActionScope, type StageEffects } from './action-effects';

/**
 * The decision's publication as the publicity context recorded it in the decision's transaction (its
 * `publications` row), for the snapshot: whether the archive still waits for a recorded publication (公示,
 * 行政处罚法 Art. 48) or the policy left the decision unpublished.
 */
async function publication(c: ActionScope) {
  const row = await c.tx.publication.findUnique({
    where: { caseId: c.caseId },
    select: { status: true, rule: true },
  });
  return row ? { publication: { status: row.status, rule: row.rule } } : {};
}

export const CLOSING_EFFECTS: StageEffects = {
  close_case: {
    prepare: publication,
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
    prepare: publication,
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
