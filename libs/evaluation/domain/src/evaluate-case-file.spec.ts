import { BASIS, LEGAL_BASIS_CATALOGUE } from '@ecc/legal-domain';
import { type CatalogueArticle, fromLegalCatalogue } from './catalogue-article';
import {
  type CaseDocument,
  type CaseFileSnapshot,
  type CaseRemedy,
  type DocumentKind,
} from './case-file.types';
import { DEFAULT_EVALUATION_RULES } from './default-evaluation-rules';
import { evaluateCaseFile, meetsClosingThreshold } from './evaluate-case-file';
import { DEFAULT_EVALUATION_POLICY, type EvaluationContext, gradeOf } from './evaluation.policy';
import { type EvaluationRule } from './evaluation-rule';
import { DEFAULT_EVALUATION_SETTINGS, evaluationPolicySchema, rulesInForce } from './evaluation-rules.policy';

const PARTY = '汨罗某运输有限公司';
const PLATE = '湘F12345';
const CITED = [BASIS.overloadLimits, BASIS.grossFine];

const catalogue = fromLegalCatalogue(LEGAL_BASIS_CATALOGUE);
const withGrossFine = (change: Partial<CatalogueArticle>) =>
  catalogue.map((a) => (a.code === BASIS.grossFine ? { ...a, ...change } : a));

const context: EvaluationContext = { computedFineYuan: 5_000 };

/** A clean, complete fine case: every document filled, every date and limit lawful. */
function cleanCase(): CaseFileSnapshot {
  const common = { partyName: PARTY, plate: PLATE };
  const docs: CaseDocument[] = [
    {
      kind: 'filing_approval',
      number: '汨交立〔2024〕0101',
      dated: '2024-11-10',
      ...common,
      fields: { approvedBy: '王局长' },
    },
    { kind: 'inquiry_record', dated: '2024-11-11', ...common, fields: { interviewee: '张三' } },
    { kind: 'evidence_list', dated: '2024-11-11', fields: { items: '检测单、前后车牌及侧面照片' } },
    {
      kind: 'pre_penalty_notice',
      number: '汨交告〔2024〕0101',
      dated: '2024-11-12',
      ...common,
      amountYuan: 5_000,
      basisCodes: [...CITED, BASIS.prePenaltyNotice],
      fields: { facts: '车货总质量超限10.2吨', rights: '陈述、申辩' },
    },
    {
      kind: 'legal_review_opinion',
      dated: '2024-11-18',
      fields: { reviewerName: '赵审核', opinion: '同意' },
    },
    {
      kind: 'decision',
      number: '汨交罚〔2024〕第0101号',
      dated: '2024-11-20',
      ...common,
      amountYuan: 5_000,
      basisCodes: CITED,
      fields: {
        facts: '车货总质量超限10.2吨',
        remedies: '六十日内申请行政复议或六个月内提起行政诉讼',
        authority: '汨罗市交通运输局',
        paymentInstructions: '十五日内到指定银行缴纳',
      },
    },
    {
      kind: 'proof_of_service',
      dated: '2024-11-22',
      partyName: PARTY,
      fields: { serviceMethod: '直接送达', recipient: '李经理' },
    },
    { kind: 'payment_record', number: 'PAY-0101', dated: '2024-11-30', amountYuan: 5_000, lateFeeYuan: 0 },
    { kind: 'closing_report', dated: '2024-12-02', fields: { summary: '已缴清罚款', approvedBy: '王局长' } },
  ];
  return {
    caseId: 'case-1',
    penaltyKind: 'fine',
    violationType: 'overload_gross',
    violationDate: '2024-11-05',
    partyKind: 'organisation',
    officers: [
      { userId: 'u-1', name: '刘执法', certificateNo: '43060001' },
      { userId: 'u-2', name: '陈执法', certificateNo: '43060002' },
    ],
    legalReviewer: { userId: 'u-9', name: '赵审核' },
    dates: {
      filedOn: '2024-11-10',
      noticeServedOn: '2024-11-12',
      legalReviewedOn: '2024-11-18',
      decidedOn: '2024-11-20',
      servedOn: '2024-11-22',
      paidOn: '2024-11-30',
      closedOn: '2024-12-02',
    },
    documents: docs,
  };
}

function withDoc(
  f: CaseFileSnapshot,
  kind: DocumentKind,
  change: (d: CaseDocument) => CaseDocument,
): CaseFileSnapshot {
  return { ...f, documents: f.documents.map((d) => (d.kind === kind ? change(d) : d)) };
}
const without = (f: CaseFileSnapshot, kind: DocumentKind) => ({
  ...f,
  documents: f.documents.filter((d) => d.kind !== kind),
});
const dated = (f: CaseFileSnapshot, dates: Partial<CaseFileSnapshot['dates']>) => ({
  ...f,
  dates: { ...f.dates, ...dates },
});
const codes = (f: CaseFileSnapshot, ctx: EvaluationContext = context, cat: CatalogueArticle[] = catalogue) =>
  evaluateCaseFile(f, DEFAULT_EVALUATION_RULES, cat, ctx).findings.map((x) => x.code);

describe('case-file evaluation (案卷评查)', () => {
  it('scores a clean, complete case 100, excellent, with no findings', () => {
    expect(evaluateCaseFile(cleanCase(), DEFAULT_EVALUATION_RULES, catalogue, context)).toEqual({
      score: 100,
      grade: 'excellent',
      findings: [],
    });
  });

  describe('completeness: each required document present and filled', () => {
    const kinds: DocumentKind[] = [
      'filing_approval',
      'inquiry_record',
      'evidence_list',
      'pre_penalty_notice',
      'legal_review_opinion',
      'decision',
      'proof_of_service',
      'payment_record',
      'closing_report',
    ];

    it.each(kinds)('fires completeness.%s when the document is missing, and only it', (kind) => {
      expect(codes(without(cleanCase(), kind))).toEqual([`completeness.${kind}`]);
    });

    it.each(kinds)('fires completeness.%s when one of its fields is blank', (kind) => {
      const required = DEFAULT_EVALUATION_RULES.find((r) => r.code === `completeness.${kind}`)?.document;
      const field = required?.requiredFields.find(
        (name) => !['partyName', 'plate', 'amountYuan', 'basisCodes'].includes(name),
      );
      if (!field) throw new Error(`no plain field to blank for ${kind}`);
      const blanked = withDoc(cleanCase(), kind, (d) =>
        field in d ? { ...d, [field]: '  ' } : { ...d, fields: { ...d.fields, [field]: '' } },
      );
      const result = evaluateCaseFile(blanked, DEFAULT_EVALUATION_RULES, catalogue, context);
      expect(result.findings).toEqual([
        expect.objectContaining({
          code: `completeness.${kind}`,
          details: [expect.stringMatching(new RegExp(`^not filled: ${field} \\(.+\\)$`))],
        }),
      ]);
    });

    it('requires the payment instructions and amounts of a fine case only', () => {
      const noAmount = withDoc(cleanCase(), 'decision', (d) => ({
        ...d,
        fields: { ...d.fields, paymentInstructions: null },
      }));
      expect(codes(noAmount)).toEqual(['completeness.decision']);
      expect(codes(warningCase())).toEqual([]);
    });

    // 《公路安全保护条例》 Art. 66: a driver's or an enterprise's case counts trips, possibly of several vehicles;
    // its documents name the party and list the trips — a certificate's or a vehicle's case states its plate.
    it('requires the plate of a case about one vehicle, not of a driver’s or an enterprise’s Art. 66 case', () => {
      const art66 = (violationType: CaseFileSnapshot['violationType'], code: string): CaseFileSnapshot => {
        const f = cleanCase();
        return {
          ...f,
          penaltyKind:
            violationType === 'repeat_overload_vehicle' ? 'certificate_revocation' : 'order_stop_transport',
          violationType,
          documents: f.documents
            .filter((d) => d.kind !== 'payment_record')
            .map((d) => ({
              ...d,
              plate: null,
              ...(d.amountYuan !== undefined ? { amountYuan: null } : {}),
              ...(d.basisCodes ? { basisCodes: [code] } : {}),
            })),
        };
      };
      const completeness = (f: CaseFileSnapshot) =>
        evaluateCaseFile(f, DEFAULT_EVALUATION_RULES, catalogue, {}).findings.filter(
          (x) => x.axis === 'completeness',
        );
      expect(completeness(art66('repeat_overload_driver', BASIS.repeatDriver))).toEqual([]);
      expect(completeness(art66('enterprise_overload_fleet', BASIS.enterpriseFleet))).toEqual([]);
      const certificate = completeness(art66('repeat_overload_vehicle', BASIS.repeatVehicle));
      expect(certificate.map((x) => [x.code, x.details])).toEqual([
        ['completeness.inquiry_record', ['not filled: plate (车牌号)']],
        ['completeness.pre_penalty_notice', ['not filled: plate (车牌号)']],
        ['completeness.decision', ['not filled: plate (车牌号)']],
      ]);
      // A plate a driver's document does state is still compared across the documents.
      const driver = art66('repeat_overload_driver', BASIS.repeatDriver);
      const stated = withDoc(
        withDoc(driver, 'decision', (d) => ({ ...d, plate: PLATE })),
        'pre_penalty_notice',
        (d) => ({
          ...d,
          plate: '湘F99999',
        }),
      );
      expect(codes(stated, {})).toContain('consistency.plate_identical');
    });

    it('says which field an inquiry record lacks: the person questioned', () => {
      const noOne = withDoc(cleanCase(), 'inquiry_record', (d) => ({ ...d, fields: { interviewee: null } }));
      const result = evaluateCaseFile(noOne, DEFAULT_EVALUATION_RULES, catalogue, context);
      expect(result.findings).toEqual([
        expect.objectContaining({
          code: 'completeness.inquiry_record',
          message: { zh: '询问笔录缺失或未填写完整', en: 'Inquiry record missing or incomplete' },
          details: ['not filled: interviewee (被询问人)'],
        }),
      ]);
    });
  });

  describe('consistency', () => {
    it('fires date_order when the case was closed before the payment', () => {
      const result = evaluateCaseFile(
        dated(cleanCase(), { closedOn: '2024-11-29' }),
        DEFAULT_EVALUATION_RULES,
        catalogue,
        context,
      );
      expect(result.findings).toEqual([
        expect.objectContaining({
          axis: 'consistency',
          code: 'consistency.date_order',
          documentRef: null,
          details: ['closedOn 2024-11-29 precedes paidOn 2024-11-30'],
        }),
      ]);
    });

    it('fires decision_within_90_days at 91 days, not at 90 (Art. 60)', () => {
      const filed = (on: string) => ({ ...dated(cleanCase(), { filedOn: on }), violationDate: '2024-08-01' });
      expect(codes(filed('2024-08-21'))).toEqual(['consistency.decision_within_90_days']); // 91 days
      expect(codes(filed('2024-08-22'))).toEqual([]); // 90 days
    });

    it('fires defence_period_respected inside the 3-working-day statement period, unless waived in writing', () => {
      // Notice served Tue 12 Nov: the statement period ends Fri 15 Nov.
      const early = dated(cleanCase(), { legalReviewedOn: '2024-11-14', decidedOn: '2024-11-15' });
      expect(codes(early)).toEqual(['consistency.defence_period_respected']);
      expect(codes({ ...early, defenceWaivedInWriting: true })).toEqual([]);
      expect(codes(dated(early, { decidedOn: '2024-11-16' }))).toEqual([]);
    });

    it('waits for the 5-working-day hearing-request period when the fine gives a right to a hearing (Art. 64, 85)', () => {
      // 20,000 yuan: the threshold for an organisation (policy default).
      const amount = (d: CaseDocument) => (d.amountYuan ? { ...d, amountYuan: 20_000 } : d);
      const large = { ...cleanCase(), documents: cleanCase().documents.map(amount) };
      const ctx = { computedFineYuan: 20_000 };
      // Tue 12 Nov + 5 working days = Tue 19 Nov.
      expect(codes(dated(large, { legalReviewedOn: '2024-11-18', decidedOn: '2024-11-19' }), ctx)).toEqual([
        'consistency.defence_period_respected',
      ]);
      expect(codes(dated(large, { legalReviewedOn: '2024-11-18', decidedOn: '2024-11-20' }), ctx)).toEqual(
        [],
      );
    });

    it('fires hearing_notice_7_days when the hearing was notified less than 7 working days before', () => {
      // Hearing on Mon 25 Nov: notify by Thu 14 Nov at the latest.
      const hearing = (notified: string) =>
        dated(cleanCase(), {
          hearingNotifiedOn: notified,
          hearingHeldOn: '2024-11-25',
          decidedOn: '2024-11-26',
          servedOn: '2024-11-27',
        });
      expect(codes(hearing('2024-11-15'))).toEqual(['consistency.hearing_notice_7_days']);
      expect(codes(hearing('2024-11-14'))).toEqual([]);
      expect(codes(dated(hearing('2024-11-14'), { hearingNotifiedOn: null }))).toEqual([
        'consistency.hearing_notice_7_days',
      ]);
    });

    it('fires service_within_7_days after the 7th working day (Art. 61, 85)', () => {
      // Decided Wed 20 Nov: serve by Fri 29 Nov.
      const served = (on: string) =>
        dated(cleanCase(), { servedOn: on, paidOn: '2024-12-03', closedOn: '2024-12-05' });
      expect(codes(served('2024-12-02'))).toEqual(['consistency.service_within_7_days']);
      expect(codes(served('2024-11-29'))).toEqual([]);
    });

    it('fires payment_within_15_days for a late payment without the Art. 72 late fine', () => {
      // Served Fri 22 Nov: day 15 is Sat 7 Dec, so payment is due Mon 9 Dec (民法典 Art. 203).
      expect(codes(dated(cleanCase(), { paidOn: '2024-12-09', closedOn: '2024-12-10' }))).toEqual([]);
      // Paid Fri 20 Dec: 11 days late → 5,000 × 3% × 11 = 1,650 yuan.
      const late = dated(cleanCase(), { paidOn: '2024-12-20', closedOn: '2024-12-22' });
      expect(codes(late)).toEqual(['consistency.payment_within_15_days']);
      expect(
        codes(withDoc(late, 'payment_record', (d) => ({ ...d, amountYuan: 6_650, lateFeeYuan: 1_650 }))),
      ).toEqual([]);
    });

    it('fires party_identical, pointing at the document that differs', () => {
      const other = withDoc(cleanCase(), 'inquiry_record', (d) => ({ ...d, partyName: '汨罗某运输公司' }));
      const result = evaluateCaseFile(other, DEFAULT_EVALUATION_RULES, catalogue, context);
      expect(result.findings).toEqual([
        expect.objectContaining({ code: 'consistency.party_identical', documentRef: 'inquiry_record' }),
      ]);
    });

    it('fires plate_identical for another plate, not for spacing or letter case', () => {
      expect(codes(withDoc(cleanCase(), 'pre_penalty_notice', (d) => ({ ...d, plate: '湘F12346' })))).toEqual(
        ['consistency.plate_identical'],
      );
      expect(codes(withDoc(cleanCase(), 'inquiry_record', (d) => ({ ...d, plate: '湘f 12345' })))).toEqual(
        [],
      );
    });

    it('fires amount_identical when a later document states another amount, or the notice proposed less', () => {
      expect(codes(withDoc(cleanCase(), 'payment_record', (d) => ({ ...d, amountYuan: 4_000 })))).toEqual([
        'consistency.amount_identical',
      ]);
      expect(codes(withDoc(cleanCase(), 'pre_penalty_notice', (d) => ({ ...d, amountYuan: 4_000 })))).toEqual(
        ['consistency.amount_identical'],
      );
      // Reduced after the defence: lawful.
      expect(codes(withDoc(cleanCase(), 'pre_penalty_notice', (d) => ({ ...d, amountYuan: 6_000 })))).toEqual(
        [],
      );
    });

    it('fires fine_as_computed when the decision differs from what the rules compute', () => {
      expect(codes(cleanCase(), { computedFineYuan: 5_500 })).toEqual(['consistency.fine_as_computed']);
    });

    it('fires two_officers with one certified officer (Art. 42)', () => {
      const one = {
        ...cleanCase(),
        officers: cleanCase().officers.map((o, i) => (i ? { ...o, certificateNo: null } : o)),
      };
      expect(codes(one)).toEqual(['consistency.two_officers']);
    });

    it('fires reviewer_not_officer when the reviewer handled the case or is not recorded (Art. 58)', () => {
      expect(codes({ ...cleanCase(), legalReviewer: { userId: 'u-2', name: '陈执法' } })).toEqual([
        'consistency.reviewer_not_officer',
      ]);
      expect(codes({ ...cleanCase(), legalReviewer: null })).toEqual(['consistency.reviewer_not_officer']);
    });
  });

  describe('legal basis (against the legal-basis catalogue)', () => {
    it('fires article_exists for a citation missing from the catalogue', () => {
      const result = evaluateCaseFile(
        withDoc(cleanCase(), 'decision', (d) => ({ ...d, basisCodes: [...CITED, 'ORR-99'] })),
        DEFAULT_EVALUATION_RULES,
        catalogue,
        context,
      );
      expect(result.findings).toEqual([
        expect.objectContaining({
          axis: 'legal_basis',
          code: 'legal_basis.article_exists',
          documentRef: 'decision:汨交罚〔2024〕第0101号',
          details: ['ORR-99 is not in the legal-basis catalogue'],
        }),
      ]);
    });

    it('fires in_force for an article not yet or no longer in force on the violation date', () => {
      expect(codes(cleanCase(), context, withGrossFine({ validFrom: '2024-11-06' }))).toEqual([
        'legal_basis.in_force',
      ]);
      expect(codes(cleanCase(), context, withGrossFine({ validTo: '2024-11-04' }))).toEqual([
        'legal_basis.in_force',
      ]);
      expect(codes(cleanCase(), context, withGrossFine({ validTo: '2024-11-05' }))).toEqual([]);
    });

    it('finds the version in force among several versions of a code', () => {
      const amended = [
        ...withGrossFine({ validTo: '2024-06-30' }),
        ...catalogue
          .filter((a) => a.code === BASIS.grossFine)
          .map((a) => ({ ...a, validFrom: '2024-07-01', maxYuan: 20_000 })),
      ];
      expect(codes(cleanCase(), context, amended)).toEqual([]);
      expect(codes(cleanCase(), context, withGrossFine({ validTo: '2024-06-30' }))).toEqual([
        'legal_basis.in_force',
      ]);
    });

    it('fires fits_violation_type for an article of another violation type', () => {
      // ORR-3 covers gross mass and dimensions; ORR-43-1-2 only gross mass.
      const result = evaluateCaseFile(
        { ...cleanCase(), violationType: 'overload_dimension' },
        DEFAULT_EVALUATION_RULES,
        catalogue,
        context,
      );
      expect(result.findings.map((f) => [f.code, f.details.length])).toEqual([
        ['legal_basis.fits_violation_type', 2],
      ]);
    });

    it('fires penalty_in_range for a fine outside the cited article’s range (500–30,000 for Art. 43(1)(2))', () => {
      expect(codes(cleanCase(), context, withGrossFine({ maxYuan: 3_000 }))).toEqual([
        'legal_basis.penalty_in_range',
      ]);
      const amount = (d: CaseDocument) => (d.amountYuan ? { ...d, amountYuan: 400 } : d);
      const small = { ...cleanCase(), documents: cleanCase().documents.map(amount) };
      expect(codes(small, { computedFineYuan: 400 })).toEqual(['legal_basis.penalty_in_range']);
    });

    it('reads the catalogue’s fine ranges and procedural articles', () => {
      expect(catalogue.find((a) => a.code === BASIS.grossFine)).toMatchObject({
        minYuan: 500,
        maxYuan: 30_000,
      });
      expect(catalogue.find((a) => a.code === BASIS.prePenaltyNotice)).toMatchObject({ violationTypes: [] });
    });
  });

  describe('lawful files are not flagged', () => {
    // A large fine: with a right to a hearing for a person (1,000) and not for an organisation (20,000).
    const large = () => {
      const amount = (d: CaseDocument) => (d.amountYuan ? { ...d, amountYuan: 12_000 } : d);
      return { ...cleanCase(), partyKind: 'person' as const, documents: cleanCase().documents.map(amount) };
    };
    const ctx12 = { computedFineYuan: 12_000 };
    // Notice served Tue 12 Nov; decided Thu 14 Nov, inside both the statement and the hearing periods.
    const early = () => dated(large(), { legalReviewedOn: '2024-11-13', decidedOn: '2024-11-14' });

    it('a decision made early after the statement period was waived and the hearing request withdrawn in writing', () => {
      expect(codes(early(), ctx12)).toEqual(['consistency.defence_period_respected']);
      expect(
        codes({ ...early(), statementWaivedInWriting: true, hearingRequestWithdrawnInWriting: true }, ctx12),
      ).toEqual([]);
      expect(
        codes({ ...early(), statementWaivedInWriting: true, hearingWaivedInWriting: true }, ctx12),
      ).toEqual([]);
      // Only one of the two periods given up: the other still runs.
      expect(codes({ ...early(), statementWaivedInWriting: true }, ctx12)).toEqual([
        'consistency.defence_period_respected',
      ]);
      expect(codes({ ...early(), hearingRequestWithdrawnInWriting: true }, ctx12)).toEqual([
        'consistency.defence_period_respected',
      ]);
    });

    it("judges the hearing right by the party's kind: an organisation's 12,000 yuan gives none", () => {
      const organisation = { ...early(), partyKind: 'organisation' as const, statementWaivedInWriting: true };
      expect(codes(organisation, ctx12)).toEqual([]);
      expect(codes({ ...organisation, partyKind: 'person' as const }, ctx12)).toEqual([
        'consistency.defence_period_respected',
      ]);
      // Kind unknown: the lower (person's) threshold, the reading that never withholds a hearing.
      expect(codes({ ...organisation, partyKind: undefined }, ctx12)).toEqual([
        'consistency.defence_period_respected',
      ]);
    });

    it('a payment including the Art. 72 late fee matches the fine plus that fee, in one payment or several', () => {
      // Served Fri 22 Nov, due Mon 9 Dec; paid Fri 20 Dec: 11 days late → 1,650 yuan.
      const late = dated(cleanCase(), { paidOn: '2024-12-20', closedOn: '2024-12-22' });
      const once = withDoc(late, 'payment_record', (d) => ({ ...d, amountYuan: 6_650, lateFeeYuan: 1_650 }));
      expect(codes(once)).toEqual([]);
      const twice = {
        ...once,
        documents: [
          ...withDoc(late, 'payment_record', (d) => ({ ...d, amountYuan: 5_000, lateFeeYuan: 1_650 }))
            .documents,
          {
            kind: 'payment_record' as const,
            number: 'PAY-0102',
            dated: '2024-12-20',
            amountYuan: 1_650,
            lateFeeYuan: 1_650,
          },
        ],
      };
      expect(codes(twice)).toEqual([]);
      // Paid less than fine plus fee, or more: still flagged.
      expect(
        codes(withDoc(late, 'payment_record', (d) => ({ ...d, amountYuan: 6_000, lateFeeYuan: 1_650 }))),
      ).toEqual(['consistency.amount_identical']);
      expect(
        codes(withDoc(cleanCase(), 'payment_record', (d) => ({ ...d, amountYuan: 5_100, lateFeeYuan: 0 }))),
      ).toEqual(['consistency.amount_identical']);
    });

    it('does not count the late fee while a reconsideration was pending (Art. 73 ¶3)', () => {
      // Reconsideration from 10 Dec to 18 Dec (9 days): 11 − 9 = 2 days late → 300 yuan.
      const late = {
        ...dated(cleanCase(), { paidOn: '2024-12-20', closedOn: '2024-12-22' }),
        remedies: [{ kind: 'reconsideration' as const, filedOn: '2024-12-10', concludedOn: '2024-12-18' }],
      };
      const paid = (fee: number) =>
        withDoc(late, 'payment_record', (d) => ({ ...d, amountYuan: 5_000 + fee, lateFeeYuan: fee }));
      expect(codes(paid(300))).toEqual([]);
      expect(codes(paid(1_650))).toEqual(['consistency.payment_within_15_days']);
    });

    describe('remedies: what a reconsideration or a lawsuit against the decision leaves of it', () => {
      // Decided 20 Nov, served 22 Nov, paid 30 Nov, closed 2 Dec (the clean case).
      const sought = (remedy: Partial<CaseRemedy>, f: CaseFileSnapshot = cleanCase()) => ({
        ...f,
        remedies: [
          {
            kind: 'reconsideration' as const,
            body: '汨罗市人民政府',
            filedOn: '2024-11-25',
            concludedOn: '2024-12-01',
            ...remedy,
          },
        ],
      });

      it('a decision upheld, or a remedy dismissed or withdrawn, leaves the file as it was', () => {
        for (const outcome of ['upheld', 'dismissed', 'withdrawn'] as const) {
          expect(codes(sought({ outcome }))).toEqual([]);
        }
        expect(codes(sought({ outcome: null, concludedOn: null }))).toEqual([]);
      });

      it('a remedy filed before the decision, or concluded before it was filed, is out of order', () => {
        expect(codes(sought({ filedOn: '2024-11-19' }))).toEqual(['consistency.remedy_outcome_followed']);
        expect(codes(sought({ concludedOn: '2024-11-24', outcome: 'upheld' }))).toEqual([
          'consistency.remedy_outcome_followed',
        ]);
      });

      it('a decision annulled on reconsideration is not collected on after the annulment, nor closed on', () => {
        // Annulled 1 Dec: the payment of 30 Nov came first (to be refunded, not a flaw of the file), the closing
        // of 2 Dec rests on an annulled decision.
        const finding = (f: CaseFileSnapshot) =>
          evaluateCaseFile(f, DEFAULT_EVALUATION_RULES, catalogue, context).findings.find(
            (x) => x.code === 'consistency.remedy_outcome_followed',
          );
        const annulled = sought({ outcome: 'annulled' });
        expect(codes(annulled)).toEqual(['consistency.remedy_outcome_followed']);
        expect(finding(annulled)).toMatchObject({
          documentRef: null,
          details: [
            'decision annulled on reconsideration filed 2024-11-25, 2024-12-01: the file is closed on it (2024-12-02)',
          ],
        });
        // Annulled 28 Nov, collected 30 Nov, not closed: the payment record is the fault.
        const collected = dated(sought({ outcome: 'annulled', concludedOn: '2024-11-28' }), {
          closedOn: null,
        });
        expect(finding(collected)).toMatchObject({
          documentRef: 'payment_record:PAY-0101',
          details: [
            'decision annulled on reconsideration filed 2024-11-25, 2024-11-28: collected 2024-11-30',
          ],
        });
        // An annulment by the court weighs the same; a decision made anew after the annulment stands.
        expect(codes(sought({ kind: 'lawsuit', outcome: 'annulled' }))).toEqual([
          'consistency.remedy_outcome_followed',
        ]);
        // The first decision (5 Nov) annulled on 8 Nov, decided anew on 20 Nov: the file rests on the new one.
        expect(
          codes(sought({ filedOn: '2024-11-06', concludedOn: '2024-11-08', outcome: 'annulled' })),
        ).toEqual([]);
      });

      it('a decision changed on reconsideration is owed as changed: the payments are not held to the first amount', () => {
        const paidLess = withDoc(cleanCase(), 'payment_record', (d) => ({ ...d, amountYuan: 3_000 }));
        expect(codes(paidLess)).toEqual(['consistency.amount_identical']);
        expect(codes(sought({ outcome: 'changed' }, paidLess))).toEqual([]);
      });
    });

    it('checks a combined fine (weight and size) against the combined range of Art. 43', () => {
      // 3,000 (gross, Art. 43(1)(二)) + 200 (size tier 1, at most 200) = 3,200 yuan, Art. 43(2) cited.
      const cited = [BASIS.overloadLimits, BASIS.grossFine, BASIS.dimensionFineTier1, BASIS.cumulativeCap];
      const combined = (total: number, parts?: CaseDocument['penaltyParts']): CaseFileSnapshot => ({
        ...cleanCase(),
        violationTypes: ['overload_gross', 'overload_dimension'],
        documents: cleanCase().documents.map((d) =>
          d.amountYuan
            ? {
                ...d,
                amountYuan: total,
                ...(d.basisCodes ? { basisCodes: cited, penaltyParts: parts ?? null } : {}),
              }
            : d,
        ),
      });
      const ctx = (total: number) => ({ computedFineYuan: total });
      expect(codes(combined(3_200), ctx(3_200))).toEqual([]);
      // Without its parts, the amount must lie in 500 + 0 … 30,000 + 200 capped at 30,000.
      expect(codes(combined(400), ctx(400))).toEqual(['legal_basis.penalty_in_range']);
      // With its parts stated, each part is checked against its own article, and their sum against the amount.
      const parts = (gross: number, size: number) => [
        { basisCode: BASIS.grossFine, kind: 'fine' as const, amountYuan: gross },
        { basisCode: BASIS.dimensionFineTier1, kind: 'fine' as const, amountYuan: size },
      ];
      expect(codes(combined(3_200, parts(3_000, 200)), ctx(3_200))).toEqual([]);
      expect(codes(combined(3_300, parts(3_000, 300)), ctx(3_300))).toEqual(['legal_basis.penalty_in_range']);
      expect(codes(combined(3_100, parts(3_000, 200)), ctx(3_100))).toEqual(['legal_basis.penalty_in_range']);
      // At most 30,000 yuan in all (Art. 43(2)).
      expect(codes(combined(30_000, parts(30_000, 200)), ctx(30_000))).toEqual([]);
      // A weight warning with a size fine keeps both: the warning part carries no amount.
      const warning = [
        { basisCode: BASIS.grossFine, kind: 'warning' as const, amountYuan: 0 },
        { basisCode: BASIS.dimensionFineTier1, kind: 'fine' as const, amountYuan: 200 },
      ];
      expect(codes(combined(200, warning), ctx(200))).toEqual([]);
    });

    it('checks procedural articles against the date of the act, not of the violation', () => {
      // Violation on 20 Dec 2023; the decision of 22 Jan 2024 names the remedy under the revised 行政复议法.
      const f: CaseFileSnapshot = {
        ...cleanCase(),
        violationDate: '2023-12-20',
        documents: cleanCase().documents.map((d) =>
          d.kind === 'decision' ? { ...d, basisCodes: [...CITED, BASIS.reconsideration] } : d,
        ),
      };
      expect(codes(f)).toEqual([]);
      // The penalty articles themselves are still those in force on the violation date.
      expect(codes(f, context, withGrossFine({ validFrom: '2024-01-01' }))).toEqual(['legal_basis.in_force']);
      // A procedural article not yet in force on the day of the act is flagged.
      const later = catalogue.map((a) =>
        a.code === BASIS.reconsideration ? { ...a, validFrom: '2024-11-21' } : a,
      );
      expect(codes(f, context, later)).toEqual(['legal_basis.in_force']);
    });
  });

  describe('score and grade', () => {
    it('deducts each rule that fires once, floors at 0, and grades by policy', () => {
      const flawed = dated(
        { ...cleanCase(), legalReviewer: null },
        { servedOn: '2024-12-02', paidOn: '2024-12-03', closedOn: '2024-12-05' },
      );
      const result = evaluateCaseFile(flawed, DEFAULT_EVALUATION_RULES, catalogue, context);
      expect(result.findings.map((f) => [f.code, f.deduction])).toEqual([
        ['consistency.service_within_7_days', 5],
        ['consistency.reviewer_not_officer', 10],
      ]);
      expect(result.score).toBe(85);
      expect(result.grade).toBe('good');
      expect(meetsClosingThreshold(result)).toBe(false);
      const lenient = { evaluationPolicy: { ...DEFAULT_EVALUATION_POLICY, closingMinimumScore: 80 } };
      expect(meetsClosingThreshold(result, lenient)).toBe(true);

      const empty = { ...cleanCase(), documents: [], officers: [], legalReviewer: null };
      expect(evaluateCaseFile(empty, DEFAULT_EVALUATION_RULES, catalogue, context)).toMatchObject({
        score: 15,
        grade: 'unqualified',
      });
      const heavy = DEFAULT_EVALUATION_RULES.map((r) => ({ ...r, deduction: 50 }));
      expect(evaluateCaseFile(empty, heavy, catalogue, context).score).toBe(0);
    });

    it('grades by the policy bounds', () => {
      expect([90, 89, 80, 79, 60, 59].map((n) => gradeOf(n))).toEqual([
        'excellent',
        'good',
        'good',
        'qualified',
        'qualified',
        'unqualified',
      ]);
      expect(gradeOf(75, { ...DEFAULT_EVALUATION_POLICY, goodFrom: 75 })).toBe('good');
    });

    it('takes the rules as data: a new required document is a new row, a rule only for its case types', () => {
      const rules: EvaluationRule[] = [
        ...DEFAULT_EVALUATION_RULES,
        {
          axis: 'completeness',
          code: 'completeness.hearing_notice',
          message: { zh: '听证通知书缺失', en: 'Hearing notice missing' },
          deduction: 4,
          appliesTo: ['certificate_revocation'],
          document: { kind: 'hearing_notice', requiredFields: ['dated'] },
        },
      ];
      expect(evaluateCaseFile(cleanCase(), rules, catalogue, context).score).toBe(100);
      const revocation = { ...warningCase(), penaltyKind: 'certificate_revocation' as const };
      expect(evaluateCaseFile(revocation, rules, catalogue, {}).findings.map((f) => f.code)).toEqual([
        'completeness.hearing_notice',
      ]);
    });

    it('refuses rules it cannot apply', () => {
      const [first, ...rest] = DEFAULT_EVALUATION_RULES;
      if (!first) throw new Error('no default rules');
      const unknown = [...rest, { ...first, document: undefined, code: 'consistency.made_up' }];
      expect(() => evaluateCaseFile(cleanCase(), unknown, catalogue, context)).toThrow(
        expect.objectContaining({ code: 'invalid_evaluation_rules' }),
      );
      const twice = [first, first];
      expect(() => evaluateCaseFile(cleanCase(), twice, catalogue, context)).toThrow(
        expect.objectContaining({ code: 'invalid_evaluation_rules' }),
      );
    });
  });
});

/** A clean warning case: no amounts, no payment record. */
function warningCase(): CaseFileSnapshot {
  const clean = cleanCase();
  return {
    ...without(
      { ...clean, documents: clean.documents.map((d) => ({ ...d, amountYuan: null })) },
      'payment_record',
    ),
    penaltyKind: 'warning',
    dates: { ...clean.dates, paidOn: null },
  };
}

describe('the case_file_evaluation policy: rules as data an admin may re-weight, restrict or switch off', () => {
  const missingInquiry = without(cleanCase(), 'inquiry_record');
  const score = (rules: EvaluationRule[]) => evaluateCaseFile(missingInquiry, rules, catalogue, context);

  it('defaults to the built-in evaluation rules and grades unchanged', () => {
    expect(DEFAULT_EVALUATION_SETTINGS).toEqual({ ...DEFAULT_EVALUATION_POLICY, rules: {} });
    expect(rulesInForce(DEFAULT_EVALUATION_SETTINGS.rules)).toEqual(DEFAULT_EVALUATION_RULES);
    expect(score(rulesInForce({})).score).toBe(95);
  });

  it('re-weights a rule by its code', () => {
    const rules = rulesInForce(
      evaluationPolicySchema.parse({ rules: { 'completeness.inquiry_record': { deduction: 12 } } }).rules,
    );
    expect(score(rules)).toMatchObject({
      score: 88,
      findings: [{ code: 'completeness.inquiry_record', deduction: 12 }],
    });
  });

  it('switches a rule off, or restricts it to other case types', () => {
    expect(score(rulesInForce({ 'completeness.inquiry_record': { enabled: false } }))).toMatchObject({
      score: 100,
      findings: [],
    });
    expect(score(rulesInForce({ 'completeness.inquiry_record': { appliesTo: ['warning'] } })).score).toBe(
      100,
    );
    // Switched back on: the default applies again.
    expect(score(rulesInForce({ 'completeness.inquiry_record': { enabled: true } })).score).toBe(95);
  });

  it('refuses an override of a rule that does not exist, out-of-range deductions and grade bounds out of order', () => {
    const issues = (value: unknown) =>
      (evaluationPolicySchema.safeParse(value).error?.issues ?? []).map(
        (i) => `${i.path.join('.')}: ${i.message}`,
      );
    expect(issues({ rules: { 'completeness.inquiry_recrod': { deduction: 3 } } })).toEqual([
      'rules.completeness.inquiry_recrod: no evaluation rule has the code completeness.inquiry_recrod',
    ]);
    expect(issues({ rules: { 'completeness.decision': { deduction: 101 } } })).toHaveLength(1);
    expect(issues({ rules: { 'completeness.decision': { appliesTo: ['parking'] } } })).toHaveLength(1);
    expect(issues({ excellentFrom: 80, goodFrom: 85 })).toEqual([
      'goodFrom: grade bounds must descend: excellentFrom > goodFrom > qualifiedFrom',
    ]);
    expect(issues({ closingMinimumScore: 85 })).toEqual([]);
  });
});
