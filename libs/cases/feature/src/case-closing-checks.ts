import { Injectable } from '@nestjs/common';
import type { CommandContext } from '@ecc/platform-nest';
import type { Tx } from '@ecc/shared-data';

/**
 * A check a case must pass before `close_case`, owned by another context and registered here (the case-file
 * evaluation of issue 6 refuses a file scoring below the threshold). It runs in the closing transaction,
 * after the case is locked and the state machine has allowed the action, and refuses by throwing a
 * DomainError. `overrideReason` is the closing approver's written reason to close anyway. What a check
 * returns (e.g. the score it recorded) goes into the `case.close_case` audit event as `closingChecks`.
 */
export interface CaseClosingCheck {
  beforeClose(
    tx: Tx,
    input: { caseId: string; ctx: CommandContext; overrideReason?: string; now: Date },
  ): Promise<Record<string, unknown> | void>;
}

/** The registry of closing checks (none: a case closes on the state machine's rules alone). */
@Injectable()
export class CaseClosingChecks {
  private readonly checks: CaseClosingCheck[] = [];

  register(check: CaseClosingCheck): void {
    if (!this.checks.includes(check)) this.checks.push(check);
  }

  async run(
    tx: Tx,
    input: Parameters<CaseClosingCheck['beforeClose']>[1],
  ): Promise<Record<string, unknown> | undefined> {
    let facts: Record<string, unknown> | undefined;
    for (const check of this.checks) {
      const result = await check.beforeClose(tx, input);
      if (result) facts = { ...facts, ...result };
    }
    return facts;
  }
}
