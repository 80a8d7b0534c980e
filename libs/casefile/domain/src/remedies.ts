/**
 * 行政复议、行政诉讼 on file: what the party sought against the decision and how it ended, as the case records
 * it (record_remedy, record_remedy_outcome). The case file names them on its cover and in its manifest, so that
 * an evaluator reading the file sees whether the decision still stands (行政处罚法 Art. 73; 行政复议法 2023 Arts.
 * 63, 64; 行政诉讼法 Arts. 69, 70, 77).
 */
export interface RemedyOnFile {
  kind: 'reconsideration' | 'lawsuit';
  /** The reconsideration body or the court. */
  body: string;
  /** YYYY-MM-DD, a legal day. */
  filedOn: string;
  outcome: 'upheld' | 'changed' | 'annulled' | 'dismissed' | 'withdrawn' | null;
  /** The day the outcome was served (or the remedy withdrawn); null while pending. */
  concludedOn: string | null;
  /** The application or complaint on file, when recorded. */
  documentId: string | null;
}

const OUTCOME_WORDS: Record<NonNullable<RemedyOnFile['outcome']>, string> = {
  upheld: '维持',
  changed: '变更',
  annulled: '撤销',
  dismissed: '驳回',
  withdrawn: '撤回',
};

/** 2024-03-20 → 2024年3月20日. */
const chineseDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/**
 * One remedy as a line of the case file: 2024年3月20日向汨罗市人民政府申请行政复议，2024年5月10日复议决定维持 —
 * a withdrawal is the party's (申请人撤回), a pending one says so.
 */
export function remedyLine(r: RemedyOnFile): string {
  const lawsuit = r.kind === 'lawsuit';
  const sought = `${chineseDay(r.filedOn)}向${r.body}${lawsuit ? '提起行政诉讼' : '申请行政复议'}`;
  if (!r.outcome || !r.concludedOn) return `${sought}，尚未审结`;
  if (r.outcome === 'withdrawn')
    return `${sought}，${chineseDay(r.concludedOn)}${lawsuit ? '原告' : '申请人'}撤回`;
  const by = lawsuit ? '判决' : '复议决定';
  return `${sought}，${chineseDay(r.concludedOn)}${by}${OUTCOME_WORDS[r.outcome]}`;
}

/** The remedies of a case as its snapshot stores them (decoded), in the order filed. */
export function remediesOnFile(
  stored: readonly {
    kind: 'reconsideration' | 'lawsuit';
    body: string;
    filedOn: string;
    outcome?: RemedyOnFile['outcome'];
    concludedOn?: string;
    documentId?: string;
  }[],
): RemedyOnFile[] {
  return [...stored]
    .sort((a, b) => a.filedOn.localeCompare(b.filedOn))
    .map((r) => ({
      kind: r.kind,
      body: r.body,
      filedOn: r.filedOn,
      outcome: r.outcome ?? null,
      concludedOn: r.concludedOn ?? null,
      documentId: r.documentId ?? null,
    }));
}
