import { z } from 'zod';
import type { IsoDate } from '@ecc/shared-kernel';

/**
 * The legal-basis catalogue (法律依据目录): every provision the system cites, as data with its validity.
 * Code applies a rule; the catalogue says which text the rule rests on and when that text was in force.
 */

/** Facts a provision can be cited for. Procedural provisions are cited for none. */
export const VIOLATION_TYPES = [
  /** 车货总质量超过限定标准 */
  'overload_gross',
  /** 车货外廓尺寸（高、宽、长）超过限定标准 */
  'overload_dimension',
  /** 轴荷超过限定标准 */
  'overload_axle',
  /** 1 年内违法超限运输超过 3 次的货运车辆（吊销车辆营运证） */
  'repeat_overload_vehicle',
  /** 1 年内违法超限运输超过 3 次的货运车辆驾驶人 */
  'repeat_overload_driver',
  /** 道路运输企业 1 年内违法超限运输的货运车辆超过本单位货运车辆总数 10% */
  'enterprise_overload_fleet',
  /** 指使、强令车辆驾驶人超限运输货物 */
  'instructing_overload',
  /** 货运源头单位为超限车辆装载、配载货物或者放行超限车辆出站（场） */
  'source_unit_release',
] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

/**
 * The administrative penalties of overload enforcement (行政处罚法 Art. 9), ONE vocabulary for the catalogue,
 * the cases, 一超四罚 and the case-file evaluation (Prisma enums `penalty_kind` and, with `order_correct`,
 * `legal_penalty_kind`). A revocation names what is revoked: the vehicle's 车辆营运证 and the enterprise's
 * 道路运输经营许可证 are different measures against different parties (《公路安全保护条例》 Art. 66).
 */
export const PENALTY_KINDS = [
  'warning', // 警告
  'fine', // 罚款
  'order_stop_transport', // 责令停止从事营业性运输 (driver, 《公路安全保护条例》 Art. 66)
  'business_suspension', // 责令停业整顿 (road transport enterprise, Art. 66)
  'licence_revocation', // 吊销道路运输经营许可证 (enterprise, 情节严重, Art. 66)
  'certificate_revocation', // 吊销车辆营运证 (vehicle, Art. 66)
] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

/**
 * What a provision may order: the penalties, and 责令改正 — an order to correct, which is not a penalty
 * (行政处罚法 Art. 28) but is written in the same provisions (e.g. 《湖南省公路条例》 Art. 30).
 */
export const MEASURE_KINDS = [...PENALTY_KINDS, 'order_correct'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const isPenaltyKind = (kind: string): kind is PenaltyKind =>
  (PENALTY_KINDS as readonly string[]).includes(kind);

export const PROVISION_ROLES = ['definition', 'penalty', 'procedure', 'remedy'] as const;
export type ProvisionRole = (typeof PROVISION_ROLES)[number];

export interface PenaltyRange {
  /** What the provision allows: penalties and, where it says so, 责令改正. */
  kinds: MeasureKind[];
  /** Inclusive fine range in yuan when `fine` is allowed; "N 元以下" is `{ minYuan: 0, maxYuan: N }`. */
  fineYuan?: { minYuan: number; maxYuan: number };
}

export interface LegalArticle {
  /** Stable code, unchanged across versions of the same provision (several versions may share it). */
  code: string;
  /** The instrument, e.g. 《超限运输车辆行驶公路管理规定》. */
  title: string;
  /** Issuing instrument, e.g. 交通运输部令2016年第62号. */
  instrument: string;
  /** The provision, e.g. 第四十三条第一款第（二）项. */
  article: string;
  /** The statutory text of the provision (Chinese). */
  text: string;
  /** First day in force (local date). */
  validFrom: IsoDate;
  /** Last day in force (inclusive), null while in force. */
  validTo: IsoDate | null;
  role: ProvisionRole;
  violationTypes: ViolationType[];
  penalty: PenaltyRange | null;
}

/** A citation as written on leads and documents: the code and the full provision, with the instrument's title. */
export interface LegalRef {
  code: string;
  /** e.g. 《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项 */
  article: string;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Schema for catalogue entries maintained by admins (the API and the seed validate against it). */
export const legalArticleSchema = z
  .strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9-]*[A-Z0-9]$/, 'code: upper-case letters, digits and dashes'),
    title: z.string().min(1),
    instrument: z.string().min(1),
    article: z.string().min(1),
    text: z.string().min(1),
    validFrom: isoDate,
    validTo: isoDate.nullable(),
    role: z.enum(PROVISION_ROLES),
    violationTypes: z.array(z.enum(VIOLATION_TYPES)),
    penalty: z
      .strictObject({
        kinds: z.array(z.enum(MEASURE_KINDS)).min(1),
        fineYuan: z
          .strictObject({ minYuan: z.number().int().nonnegative(), maxYuan: z.number().int().positive() })
          .refine((r) => r.minYuan <= r.maxYuan, 'minYuan must not exceed maxYuan')
          .optional(),
      })
      .refine(
        (p) => p.kinds.includes('fine') === (p.fineYuan !== undefined),
        'fineYuan is given exactly when a fine is allowed',
      )
      .nullable(),
  })
  .refine((a) => a.validTo === null || a.validFrom <= a.validTo, 'validTo precedes validFrom');

/** The full human-readable citation, e.g. 《公路安全保护条例》第六十六条. */
export const citationText = (entry: Pick<LegalArticle, 'title' | 'article'>): string =>
  `${entry.title}${entry.article}`;

/** The citation of a catalogue entry. */
export const refOf = (entry: Pick<LegalArticle, 'code' | 'title' | 'article'>): LegalRef => ({
  code: entry.code,
  article: citationText(entry),
});

const inForceOn = (entry: LegalArticle, onDate: IsoDate) =>
  entry.validFrom <= onDate && (entry.validTo === null || onDate <= entry.validTo);

/** The version of provision `code` in force on `onDate` (a local date), or undefined. */
export function basisInForce(
  catalogue: readonly LegalArticle[],
  code: string,
  onDate: IsoDate,
): LegalArticle | undefined {
  return catalogue.find((entry) => entry.code === code && inForceOn(entry, onDate));
}

/** Structural problems of a catalogue: bad entries, and versions of one code that overlap in time. */
export function catalogueProblems(catalogue: readonly unknown[]): string[] {
  const problems: string[] = [];
  const valid: LegalArticle[] = [];
  catalogue.forEach((raw, index) => {
    const parsed = legalArticleSchema.safeParse(raw);
    if (parsed.success) valid.push(parsed.data as LegalArticle);
    else
      problems.push(
        `entry ${index}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
  });
  const byCode = new Map<string, LegalArticle[]>();
  for (const entry of valid) byCode.set(entry.code, [...(byCode.get(entry.code) ?? []), entry]);
  for (const [code, versions] of byCode) {
    const sorted = [...versions].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let i = 1; i < sorted.length; i++) {
      const previousEnd = sorted[i - 1].validTo;
      if (previousEnd === null || previousEnd >= sorted[i].validFrom) {
        problems.push(`${code}: versions from ${sorted[i - 1].validFrom} and ${sorted[i].validFrom} overlap`);
      }
    }
  }
  return problems;
}

export interface CitationCheck {
  /** Catalogue code cited. */
  code: string;
  /** The violation the provision is cited for; omit for a procedural citation (no fit check). */
  violationType?: ViolationType;
  /** The date of the violation (local date in the bureau's zone). */
  violationDate: IsoDate;
  /** The penalty imposed under this provision, if the citation is the penalty basis. */
  penalty?: { kind: PenaltyKind; amountYuan?: number };
}

export type CitationIssueCode =
  | 'basis_unknown'
  | 'basis_not_in_force'
  | 'basis_not_applicable'
  | 'penalty_kind_not_allowed'
  | 'penalty_amount_missing'
  | 'penalty_amount_out_of_range';

export interface CitationIssue {
  code: CitationIssueCode;
  message: string;
}

export interface CitationValidation {
  ok: boolean;
  /** The catalogue version that applied, when one was in force. */
  entry?: LegalArticle;
  issues: CitationIssue[];
}

/**
 * Checks a cited provision the way case-file evaluation (案卷评查, "法律依据准确性") does: it exists in the
 * catalogue, was in force on the violation date, fits the violation type, and the penalty is one it allows,
 * with a fine inside its range.
 */
export function validateCitation(
  catalogue: readonly LegalArticle[],
  check: CitationCheck,
): CitationValidation {
  const versions = catalogue.filter((entry) => entry.code === check.code);
  if (versions.length === 0) {
    return fail([{ code: 'basis_unknown', message: `法律依据 ${check.code} 不在法律依据目录中` }]);
  }
  const entry = versions.find((v) => inForceOn(v, check.violationDate));
  if (!entry) {
    return fail([
      {
        code: 'basis_not_in_force',
        message: `${citationText(versions[0])}（${check.code}）在违法行为发生日 ${check.violationDate} 不在施行期内`,
      },
    ]);
  }
  const issues: CitationIssue[] = [];
  const cited = citationText(entry);
  if (check.violationType !== undefined && !entry.violationTypes.includes(check.violationType)) {
    issues.push({
      code: 'basis_not_applicable',
      message: `${cited}不适用于该违法行为（${check.violationType}）`,
    });
  }
  if (check.penalty) {
    const { kind, amountYuan } = check.penalty;
    const range = entry.penalty;
    if (!range || !range.kinds.includes(kind)) {
      issues.push({ code: 'penalty_kind_not_allowed', message: `${cited}未规定该处罚种类（${kind}）` });
    } else if (kind === 'fine') {
      const fine = range.fineYuan;
      if (amountYuan === undefined) {
        issues.push({ code: 'penalty_amount_missing', message: '罚款未载明数额' });
      } else if (fine && (amountYuan <= 0 || amountYuan < fine.minYuan || amountYuan > fine.maxYuan)) {
        issues.push({
          code: 'penalty_amount_out_of_range',
          message: `罚款 ${amountYuan} 元超出${cited}规定的幅度（${fine.minYuan}–${fine.maxYuan} 元）`,
        });
      }
    }
  }
  return { ok: issues.length === 0, entry, issues };

  function fail(found: CitationIssue[]): CitationValidation {
    return { ok: false, issues: found };
  }
}
