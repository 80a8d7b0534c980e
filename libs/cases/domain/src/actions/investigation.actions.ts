import { z } from 'zod';
import {
  identityDocumentIssue,
  identityDocumentKindSchema,
  normaliseDocumentNumber,
} from '../identity-document';
import { partyIdNumberSchema, partyIdNumberValid } from '@ecc/registry-domain';
import { PENALTY_KINDS } from '@ecc/legal-domain';
import {
  INTERVIEWEE_RELATIONS,
  INVESTIGATION_RECORD_KINDS,
  PENALTY_KINDS_BY_CASE_TYPE,
  type IntervieweeRelation,
} from '../case-state';
import type { CaseSnapshot } from '../case-state';
import {
  complexMark,
  conflict,
  invalid,
  effectiveAtField,
  markComplex,
  serviceEffectiveAt,
  requirePastFact,
  requireReceiptInOrder,
  requireTwoOfficers,
  rule,
} from './case-action-helpers';
import { defineCaseAction, id, officer, receiptFields, same, text, when, isoDay } from './define-case-action';

/** 调查取证: investigation records (with the parties found) and the proposed penalty. */

/** A party the investigation identified: the driver, the cargo source unit (一超四罚), an agent. */
const investigatedPartySchema = z
  .strictObject({
    role: z.enum(['driver', 'source_unit', 'agent']),
    kind: z.enum(['person', 'organisation']),
    name: z.string().trim().min(1).max(200),
    idNumber: partyIdNumberSchema.describe(
      '身份证号 (GB 11643) of a person or 统一社会信用代码 (GB 32100) of an organisation',
    ),
    phone: z.string().trim().min(5).max(20).optional(),
    address: z.string().trim().min(1).max(500).optional(),
    qualificationCertificateNo: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe('从业资格证号 of a driver'),
    loadingSlipNo: z.string().trim().min(1).max(64).optional().describe('装载单号 of a cargo source unit'),
    employer: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('驾驶人所属企业 of a driver (reported to the home authority, 超限规定 Art. 44(二))'),
  })
  .superRefine(partyIdNumberValid)
  .superRefine((p, ctx) => {
    if (p.employer !== undefined && p.role !== 'driver') {
      ctx.addIssue({
        code: 'custom',
        path: ['employer'],
        message: 'only a driver has an employer (驾驶人所属企业)',
      });
    }
  });

/**
 * 被询问人 of an inquiry: name, identity document (kind and number) and relation to the case (行政处罚法 Art. 55). A
 * foreign driver or a resident of Hong Kong, Macao or Taiwan shows another document than the 居民身份证.
 */
const intervieweeSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    idKind: identityDocumentKindSchema.optional().describe('the document shown (default resident_id)'),
    idNumber: z
      .string()
      .max(32)
      .transform(normaliseDocumentNumber)
      .describe('its number: a 居民身份证号 (GB 11643) unless idKind says otherwise'),
    relation: z
      .enum(Object.keys(INTERVIEWEE_RELATIONS) as [IntervieweeRelation, ...IntervieweeRelation[]])
      .describe(
        `how the person stands to the case: ${Object.entries(INTERVIEWEE_RELATIONS)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      ),
  })
  .superRefine((p, ctx) => {
    const issue = identityDocumentIssue(p.idKind ?? 'resident_id', p.idNumber);
    if (issue) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: issue });
  });

export const recordInvestigation = defineCaseAction({
  type: 'record_investigation',
  stage: 'investigation',
  title: '记录调查取证',
  roles: officer,
  transitions: { filed: ['investigating'], investigating: ['investigating'], returned: ['returned'] },
  article: '行政处罚法 Art. 42, 54, 55',
  input: {
    kind: z.enum(INVESTIGATION_RECORD_KINDS),
    recordedAt: when,
    documentId: id
      .optional()
      .describe('a record already on file; without it an inquiry gets its 询问笔录 generated'),
    interviewee: intervieweeSchema
      .optional()
      .describe('被询问人: required for an inquiry (行政处罚法 Art. 55), refused for the other kinds'),
  },
  extras: {
    summary: text.describe('what was found (printed in the record and the evidence list)'),
    location: z.string().trim().min(1).max(200).optional(),
    documentsChecked: z
      .array(
        z.enum([
          'driving_licence',
          'vehicle_licence',
          'transport_certificate',
          'qualification_certificate',
          'other',
        ]),
      )
      .max(10)
      .optional(),
    parties: z.array(investigatedPartySchema).max(5).optional(),
  },
  example: {
    kind: 'inquiry',
    interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
    summary: '驾驶员承认车辆装载钢材超限',
    location: '汨罗S308检测点',
    expectedVersion: 2,
  },
  // Art. 42, 55: investigation is done by at least two officers showing their certificates.
  guard: (c) => requireTwoOfficers(c.s),
  run: (c, a) => {
    if (a.recordedAt) requirePastFact(c, a.recordedAt, 'recordedAt');
    // Art. 55: an inquiry record names the person questioned, or it is nobody's statement.
    if (a.kind === 'inquiry' && !a.interviewee) {
      throw invalid(
        'interviewee_required',
        'interviewee',
        '询问笔录须载明被询问人的姓名、身份证件种类及号码、与本案的关系',
      );
    }
    if (a.kind !== 'inquiry' && a.interviewee) {
      throw invalid('interviewee_only_for_inquiry', 'interviewee', 'only an inquiry has a person questioned');
    }
    return {};
  },
  apply: (s, a, c) => {
    s.investigationRecords.push({
      kind: a.kind,
      recordedAt: a.recordedAt ?? c.now,
      recordedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
      ...(a.interviewee ? { interviewee: { ...a.interviewee } } : {}),
    });
  },
});

export const proposePenalty = defineCaseAction({
  type: 'propose_penalty',
  stage: 'investigation',
  title: '拟定处罚',
  roles: officer,
  transitions: same(['draft', 'filed', 'investigating', 'returned']),
  article: '《超限运输车辆行驶公路管理规定》 Art. 43; 《公路安全保护条例》 Art. 66, 68',
  input: {
    penalty: z.strictObject({
      kind: z.enum(PENALTY_KINDS),
      amountYuan: z.number().positive().max(100_000_000).optional().describe('only for a fine'),
      warning: z
        .literal(true)
        .optional()
        .describe('a warning imposed with the fine (超限规定 Art. 43(1)(二), 43(2)); only with a fine'),
    }),
    complex: complexMark,
  },
  example: { penalty: { kind: 'fine', amountYuan: 15000 } },
  guard: (c) => {
    if (c.s.correction) {
      // 湖南条例 Art. 30: a unit ordered to correct is fined only after the check finds it did not correct, and
      // the fine is chosen with that check (check_correction).
      throw rule(
        'source_unit_under_correction_order',
        '货运源头单位已责令限期改正：逾期不改正的，复查时方可决定罚款（《湖南省治理货物运输车辆超限超载条例》第三十条）',
      );
    }
  },
  run: (c, a) => {
    const allowed = PENALTY_KINDS_BY_CASE_TYPE[c.s.caseType];
    if (!allowed.includes(a.penalty.kind)) {
      throw rule('penalty_not_allowed_for_case_type', `${c.s.caseType} 案件不能处以 ${a.penalty.kind}`, {
        allowed,
      });
    }
    if (a.penalty.kind === 'fine' && a.penalty.amountYuan === undefined) {
      throw invalid('fine_amount_required', 'penalty.amountYuan', 'a fine needs its amount');
    }
    if (a.penalty.kind !== 'fine' && a.penalty.amountYuan !== undefined) {
      throw invalid('amount_only_for_fine', 'penalty.amountYuan', 'only a fine has an amount');
    }
    if (a.penalty.warning && a.penalty.kind !== 'fine') {
      throw invalid('warning_only_with_fine', 'penalty.warning', 'a warning alone is the kind `warning`');
    }
    if (a.penalty.warning && c.s.caseType !== 'vehicle') {
      throw rule('penalty_not_allowed_for_case_type', `${c.s.caseType} 案件不能并处警告`, {
        allowed: ['fine'],
      });
    }
    // 超限规定 Art. 43: the warning beside a fine is the law's, not the officer's choice — kept when the detection
    // calls for it (Art. 43(1)(二), 43(2)), never added when it does not.
    if (a.penalty.kind === 'fine' && c.s.caseType === 'vehicle' && c.s.warningByLaw !== undefined) {
      if (c.s.warningByLaw && !a.penalty.warning) {
        throw rule(
          'warning_required_by_law',
          '车货总质量超限未超过1000千克的，应予警告；并处的罚款不取代警告（《超限运输车辆行驶公路管理规定》第四十三条）',
        );
      }
      if (!c.s.warningByLaw && a.penalty.warning) {
        throw rule(
          'warning_not_provided_by_law',
          '本案超限情形不适用警告：《超限运输车辆行驶公路管理规定》第四十三条仅对车货总质量超限未超过1000千克的予以警告',
        );
      }
    }
    return {};
  },
  apply: (s, a, c) => {
    s.proposedPenalty = { ...a.penalty };
    s.proposedPenaltyChangedAt = c.now;
    markComplex(s, a.complex);
  },
});

/** A source-unit sub-case under an order to correct, the order not yet checked. */
function requireOpenOrder(s: CaseSnapshot) {
  if (!s.correction)
    throw rule(
      'correction_not_ordered',
      '尚未责令限期改正（《湖南省治理货物运输车辆超限超载条例》第三十条）',
    );
  if (s.correction.check) throw conflict('correction_already_checked', '改正情况已复查');
  return s.correction;
}

export const orderCorrection = defineCaseAction({
  type: 'order_correction',
  stage: 'investigation',
  title: '责令限期改正',
  roles: officer,
  transitions: same(['filed', 'investigating']),
  starts: ['correction_period'],
  article: '《湖南省治理货物运输车辆超限超载条例》 Art. 13, 30',
  input: {
    servedAt: when,
    documentId: id.optional().describe('the 责令改正通知书 served; without it the notice is generated'),
    // 湖南条例 Art. 30 fines only a unit that does not correct within the period: the period runs from proven
    // service, which its 送达回证 records.
    method: z.enum(['direct', 'post']).optional().describe('how the order was served (default: direct)'),
    ...receiptFields,
  },
  system: {
    period: z
      .strictObject({
        servedOn: isoDay,
        periodDays: z.number().int().min(1),
        counting: z.enum(['calendar_days', 'working_days']),
        lastDay: isoDay,
        dueAt: z.coerce.date(),
      })
      .optional()
      .describe("the period of the order, computed by the source-unit rules from the sub-case's plan"),
  },
  systemRefusals: { period: { message: 'the period is computed from the plan of the sub-case' } },
  example: { servedAt: '2024-03-05T02:00:00.000Z' },
  guard: (c) => {
    requireTwoOfficers(c.s);
    if (c.s.caseType !== 'source_unit') {
      throw rule(
        'not_a_source_unit_case',
        '责令限期改正适用于货运源头单位案件（《湖南省治理货物运输车辆超限超载条例》第三十条）',
      );
    }
    if (c.s.correction) throw conflict('correction_already_ordered', '已责令限期改正');
    if (c.s.proposedPenalty) {
      // 条例 Art. 68: a unit that instructed the overload is fined directly, with the order in the decision.
      throw rule(
        'penalty_already_proposed',
        '已拟定处罚（指使、强令超限的，直接处罚，《公路安全保护条例》第六十八条）',
      );
    }
  },
  run: (c, a) => {
    const servedAt = a.servedAt ?? c.now;
    requirePastFact(c, servedAt, 'servedAt');
    requireReceiptInOrder(c, a.receivedAt, servedAt);
    if (!a.period)
      throw rule('correction_period_unknown', '本案计划中没有责令改正的期限（货运源头单位装载超限）');
    // the period runs from the order's service: by post, from the receipt's day (民事诉讼法 Art. 91)
    const effective = serviceEffectiveAt(a.method ?? 'direct', servedAt, a.receivedAt);
    return { started: [{ kind: 'correction_period', startedAt: effective, dueAt: a.period.dueAt }] };
  },
  apply: (s, a, c) => {
    s.correction = {
      servedAt: a.servedAt ?? c.now,
      ...effectiveAtField(a.method ?? 'direct', a.servedAt ?? c.now, a.receivedAt),
      orderedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
      ...a.period!,
    };
  },
});

export const checkCorrection = defineCaseAction({
  type: 'check_correction',
  stage: 'investigation',
  title: '复查改正情况',
  roles: officer,
  transitions: same(['filed', 'investigating']),
  stops: ['correction_period'],
  article: '《湖南省治理货物运输车辆超限超载条例》 Art. 30',
  input: {
    corrected: z.boolean().describe('whether the unit corrected (its loading and release procedure)'),
    correctedOn: isoDay.optional().describe('the day it corrected, when it did'),
    checkedAt: when,
    amountYuan: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('逾期不改正: the fine chosen within 10,000-30,000 yuan'),
    reasons: text.optional().describe('逾期不改正: the reasons for the amount (自由裁量)'),
    documentId: id.optional().describe('the check record on file; without it the 复查意见书 is generated'),
  },
  system: {
    outcome: z
      .enum(['no_fine', 'fine'])
      .optional()
      .describe('what the source-unit rules make of the check: corrected within the period or not'),
  },
  systemRefusals: { outcome: { message: 'the outcome follows from the check and the period' } },
  example: { corrected: true, correctedOn: '2024-03-12' },
  guard: (c) => {
    requireOpenOrder(c.s);
  },
  run: (c, a) => {
    requirePastFact(c, a.checkedAt ?? c.now, 'checkedAt');
    if (a.corrected && !a.correctedOn)
      throw invalid('corrected_on_required', 'correctedOn', 'the day of the correction');
    if (a.outcome === 'fine' && (a.amountYuan === undefined || !a.reasons)) {
      throw invalid('fine_amount_required', 'amountYuan', '逾期不改正：须同时决定罚款数额及裁量理由');
    }
    if (a.outcome === 'no_fine' && a.amountYuan !== undefined) {
      throw rule(
        'corrected_in_time',
        '已在期限内改正，不予罚款（《湖南省治理货物运输车辆超限超载条例》第三十条）',
      );
    }
    return {};
  },
  apply: (s, a, c) => {
    const fine = a.outcome === 'fine' && a.amountYuan !== undefined;
    s.correction!.check = {
      checkedAt: a.checkedAt ?? c.now,
      checkedBy: c.actor.id,
      corrected: a.corrected,
      ...(a.correctedOn ? { correctedOn: a.correctedOn } : {}),
      outcome: a.outcome ?? (a.corrected ? 'no_fine' : 'fine'),
      ...(fine ? { amountYuan: a.amountYuan, reasons: a.reasons } : {}),
      ...(a.documentId ? { documentId: a.documentId } : {}),
    };
    // 逾期不改正: the fine chosen at the check is the penalty proposed to the unit (notice, decision follow).
    if (fine) {
      s.proposedPenalty = { kind: 'fine', amountYuan: a.amountYuan! };
      s.proposedPenaltyChangedAt = c.now;
    }
  },
});

export const INVESTIGATION_ACTIONS = [
  recordInvestigation,
  proposePenalty,
  orderCorrection,
  checkCorrection,
] as const;
