import { z } from 'zod';
import { partyIdNumberSchema, partyIdNumberValid } from '@ecc/registry-domain';
import { INVESTIGATION_RECORD_KINDS, PENALTY_KINDS, PENALTY_KINDS_BY_CASE_TYPE } from '../case-state';
import { invalid, requirePastFact, requireTwoOfficers, rule } from './case-action-helpers';
import { defineCaseAction, id, officer, same, text, when } from './define-case-action';

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
  })
  .superRefine(partyIdNumberValid);

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
    summary: '驾驶员承认车辆装载钢材超限',
    location: '汨罗S308检测点',
    expectedVersion: 2,
  },
  // Art. 42, 55: investigation is done by at least two officers showing their certificates.
  guard: (c) => requireTwoOfficers(c.s),
  run: (c, a) => {
    if (a.recordedAt) requirePastFact(c, a.recordedAt, 'recordedAt');
    return {};
  },
  apply: (s, a, c) => {
    s.investigationRecords.push({
      kind: a.kind,
      recordedAt: a.recordedAt ?? c.now,
      recordedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
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
    }),
  },
  example: { penalty: { kind: 'fine', amountYuan: 15000 } },
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
    return {};
  },
  apply: (s, a, c) => {
    s.proposedPenalty = { ...a.penalty };
    s.proposedPenaltyChangedAt = c.now;
  },
});

export const INVESTIGATION_ACTIONS = [recordInvestigation, proposePenalty] as const;
