import { CasesRepository } from '@ecc/cases-data';
import type { Penalty } from '@ecc/cases-domain';
import {
  FourPenaltiesRepository,
  readStoredPlan,
  type PenaltyRow,
  type StoredPlan,
  type SubCaseRow,
} from '@ecc/penalties-data';
import type { Tx } from '@ecc/shared-data';
import { DomainError, notFound } from '@ecc/shared-kernel';
import { BEFORE_NOTICE } from './plan-four-penalties.use-case';

export interface LockedSubCase {
  sub: SubCaseRow;
  row: PenaltyRow;
  stored: StoredPlan;
}

/** Locks a 一超四罚 sub-case of the given type whose proposed penalty may still change, with its Penalty row. */
export async function lockSubCaseBeforeNotice(
  tx: Tx,
  repo: FourPenaltiesRepository,
  subCaseId: string,
  type: 'enterprise' | 'source_unit',
): Promise<LockedSubCase> {
  if (!(await repo.lockCase(tx, subCaseId))) throw notFound('case', subCaseId);
  const sub = await repo.loadSubCase(subCaseId, tx);
  if (!sub) throw notFound('case', subCaseId);
  const row = sub.penalties[0];
  const stored = row ? readStoredPlan(row) : null;
  if (!sub.parentCaseId || sub.type !== type || !row || !stored) {
    throw new DomainError(
      'rule_violation',
      'wrong_sub_case',
      `case ${subCaseId} is not a 一超四罚 ${type} sub-case`,
    );
  }
  if (!BEFORE_NOTICE.has(sub.state)) {
    throw new DomainError(
      'conflict',
      'penalty_already_notified',
      '行政处罚告知书已送达，拟处罚内容不能再变更（行政处罚法第四十四条）',
    );
  }
  return { sub, row, stored };
}

/** Writes the sub-case's proposed penalty into its state-machine snapshot (version-guarded). */
export async function setProposedPenalty(
  tx: Tx,
  cases: CasesRepository,
  caseId: string,
  penalty: Penalty,
  now: Date,
): Promise<number> {
  const loaded = await cases.load(caseId, tx);
  if (!loaded) throw notFound('case', caseId);
  const snapshot = { ...loaded.snapshot, proposedPenalty: penalty, proposedPenaltyChangedAt: now };
  return cases.saveSnapshot(tx, caseId, loaded.row.version, snapshot);
}
