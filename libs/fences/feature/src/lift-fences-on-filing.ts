import { Injectable } from '@nestjs/common';
import { SelfRegisteringAfterActionHook, type CaseAfterActionHook } from '@ecc/cases-feature';
import { liftFencesForLead } from '@ecc/fences-data';
import type { Tx } from '@ecc/shared-data';

/**
 * 电子围栏: once a case's filing is approved the case proceeds, so its lead's fences are lifted (kept, linked
 * to the case, audited) in the approval's own transaction — a hook of the case actions, so the case workflow
 * needs no knowledge of fences.
 */
@Injectable()
export class LiftFencesOnFiling extends SelfRegisteringAfterActionHook {
  readonly actions = ['approve_filing'] as const;

  async afterAction(
    tx: Tx,
    { caseId, now }: Parameters<CaseAfterActionHook['afterAction']>[1],
  ): Promise<void> {
    const row = await tx.case.findUnique({ where: { id: caseId }, select: { leadId: true } });
    if (row?.leadId) await liftFencesForLead(tx, row.leadId, '案件已立案', { caseId, at: now });
  }
}
