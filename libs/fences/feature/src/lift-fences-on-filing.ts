import { Injectable, Logger } from '@nestjs/common';
import {
  CaseAfterActionHooks,
  SelfRegisteringAfterActionHook,
  type CaseAfterActionHook,
} from '@ecc/cases-feature';
import { FencesRepository, liftFencesForLead } from '@ecc/fences-data';
import type { Tx } from '@ecc/shared-data';
import { FenceBus } from './fence-bus';

/**
 * 电子围栏: once a case's filing is approved the case proceeds, so its lead's fences are lifted (kept, linked
 * to the case, audited) in the approval's own transaction — a hook of the case actions, so the case workflow
 * needs no knowledge of fences.
 *
 * The lift is announced to every API's watch list once the approval has committed (a message sent from inside
 * the transaction would make them reload before the commit and keep the plate until their next full reload):
 * the hook cannot see the commit, so it waits for it beside the transaction — `committedLifts` blocks on the
 * row locks the lift holds and reads what committed. A filing that rolls back announces nothing.
 */
@Injectable()
export class LiftFencesOnFiling extends SelfRegisteringAfterActionHook {
  private readonly logger = new Logger(LiftFencesOnFiling.name);
  readonly actions = ['approve_filing'] as const;

  constructor(
    hooks: CaseAfterActionHooks,
    private readonly fences: FencesRepository,
    private readonly bus: FenceBus,
  ) {
    super(hooks);
  }

  async afterAction(
    tx: Tx,
    { caseId, now }: Parameters<CaseAfterActionHook['afterAction']>[1],
  ): Promise<void> {
    const row = await tx.case.findUnique({ where: { id: caseId }, select: { leadId: true } });
    if (!row?.leadId) return;
    const lifted = await liftFencesForLead(tx, row.leadId, '案件已立案', { caseId, at: now });
    if (lifted.length > 0) void this.announceAfterCommit(lifted.map((f) => f.id));
  }

  private async announceAfterCommit(fenceIds: string[]): Promise<void> {
    try {
      for (const fence of await this.fences.committedLifts(fenceIds)) {
        await this.bus.publishChanged({ kind: 'lifted', fenceId: fence.id, plate: fence.plate });
      }
    } catch (err) {
      // The APIs' full reload (every 30 s) still drops the plate.
      this.logger.warn({ err, fenceIds }, 'announcing the fences lifted by a filing failed');
    }
  }
}
