import { Injectable } from '@nestjs/common';
import type { DeadlineContext } from '@ecc/legal-domain';
import { DomainError } from '@ecc/shared-kernel';
import type { Tx } from '@ecc/shared-data';

/** The order to correct as the case keeps it: the day served, the period and its last day and instant. */
export interface CorrectionTerms {
  servedOn: string;
  periodDays: number;
  counting: 'calendar_days' | 'working_days';
  lastDay: string;
  dueAt: Date;
}

/**
 * The rules of a cargo source unit's order to correct (《湖南省治理货物运输车辆超限超载条例》 Arts. 13, 30),
 * owned by 一超四罚 and registered here (the case context sits below it): the order's period from the
 * sub-case's plan, and what a check makes of it — corrected within the period (no fine) or not (a fine of
 * 10,000-30,000 yuan with reasons, refused outside the range). A rule refuses by throwing a DomainError.
 */
export interface SourceUnitCorrectionRules {
  order(tx: Tx, input: { caseId: string; servedAt: Date; ctx: DeadlineContext }): Promise<CorrectionTerms>;
  check(
    tx: Tx,
    input: {
      caseId: string;
      servedAt: Date;
      ctx: DeadlineContext;
      check: { corrected: boolean; correctedOn?: string; checkedOn: string };
      fine?: { amountYuan: number; reasons: string };
    },
  ): Promise<{
    outcome: 'no_fine' | 'fine';
    /** 逾期不改正: the fine as written to the sub-case's Penalty row, for the check's audit event. */
    penalty?: Record<string, unknown>;
  }>;
  /**
   * The unit's later trips recorded on the order, by date: `after_service` when loaded on or after the order's
   * service (evidence that it has not corrected, 湖南条例 Art. 30), else the same failure the order deals with.
   */
  recordedTrips(tx: Tx, caseId: string): Promise<CorrectionRecordedTrip[]>;
}

/** A later trip of the unit recorded on its order to correct. */
export interface CorrectionRecordedTrip {
  caseNumber: string | null;
  violationDate: string;
  plate: string | null;
  station: string | null;
  standing: 'after_service' | 'before_service' | 'order_not_served';
}

/** The registry of the source-unit rules (one: 一超四罚's). Without it the order cannot be given. */
@Injectable()
export class SourceUnitCorrection {
  private rules: SourceUnitCorrectionRules | undefined;

  register(rules: SourceUnitCorrectionRules): void {
    this.rules = rules;
  }

  get(): SourceUnitCorrectionRules {
    if (!this.rules) {
      throw new DomainError(
        'rule_violation',
        'correction_rules_unavailable',
        'the source-unit rules (一超四罚) are not part of this process',
      );
    }
    return this.rules;
  }
}
