import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CaseActionType } from '@ecc/cases-domain';
import type { CommandContext } from '@ecc/platform-nest';
import type { Tx } from '@ecc/shared-data';

/**
 * Work another context does as part of a case action, registered here (一超四罚 plans the sub-cases when a
 * vehicle case is filed and again when the investigation identifies the driver or source unit). It runs in
 * the action's transaction, after the action's records, snapshot and audit event are written, only for the
 * action types it declares; what it writes commits with the action, and a thrown error fails the action.
 */
export interface CaseAfterActionHook {
  /** The action types after which the hook runs. */
  readonly actions: readonly CaseActionType[];
  afterAction(
    tx: Tx,
    input: { caseId: string; type: CaseActionType; ctx: CommandContext; now: Date },
  ): Promise<void>;
}

/**
 * The registry of after-action hooks, run in the order their modules registered them: after
 * `approve_filing` the lead's filing (cases), the lifting of its fences (fences) and 一超四罚 planning
 * (penalties); after `record_investigation` planning again.
 */
@Injectable()
export class CaseAfterActionHooks {
  private readonly hooks: CaseAfterActionHook[] = [];

  register(hook: CaseAfterActionHook): void {
    if (!this.hooks.includes(hook)) this.hooks.push(hook);
  }

  async run(tx: Tx, input: Parameters<CaseAfterActionHook['afterAction']>[1]): Promise<void> {
    for (const hook of this.hooks) {
      if (hook.actions.includes(input.type)) await hook.afterAction(tx, input);
    }
  }
}

/** A hook that registers itself when its module starts: extend it, declare `actions` and `afterAction`. */
@Injectable()
export abstract class SelfRegisteringAfterActionHook implements CaseAfterActionHook, OnModuleInit {
  abstract readonly actions: readonly CaseActionType[];

  constructor(private readonly hooks: CaseAfterActionHooks) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  abstract afterAction(tx: Tx, input: Parameters<CaseAfterActionHook['afterAction']>[1]): Promise<void>;
}
