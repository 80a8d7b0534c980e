import { BASIS, LEGAL_BASIS_CATALOGUE } from '@ecc/legal-domain';
import { DEFAULT_EVALUATION_RULES, evaluateCaseFile, fromLegalCatalogue } from '@ecc/evaluation-domain';
import type { CaseFileRecords } from '@ecc/evaluation-data';
import { assembleCaseFile } from './case-file.assembler';

const TZ = 'Asia/Shanghai';
const BUREAU = { timeZone: TZ, name: '汨罗市交通运输局' };
const catalogue = fromLegalCatalogue(LEGAL_BASIS_CATALOGUE);
const at = (day: string, hour = 2) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
const user = (id: string, displayName: string, enforcementCertificateNo: string | null = null) => ({
  id,
  displayName,
  enforcementCertificateNo,
});
const doc = (kind: string, day: string, documentNumber: string | null = null) => ({
  id: `doc-${kind}`,
  kind,
  documentNumber,
  createdAt: at(day),
  issuedAt: null,
});

/** The records of a vehicle fine case taken through every step, as the cases lib writes them. */
function records(): CaseFileRecords {
  const basis = { basis: [{ code: BASIS.overloadLimits }, { code: BASIS.grossFine }] };
  const workflow = {
    prePenaltyNotices: [
      {
        servedAt: at('2026-11-03').toISOString(),
        proposedPenalty: { kind: 'fine', amountYuan: 2000 },
        hearingRight: false,
        waivers: [{ right: 'statement', signedAt: at('2026-11-03').toISOString(), documentId: 'w' }],
        statements: [],
      },
    ],
    proposedPenalty: { kind: 'fine', amountYuan: 2000 },
    decision: { penalty: { kind: 'fine', amountYuan: 2000 }, decidedAt: at('2026-11-05').toISOString() },
    filing: { approvedBy: 'u-appr', filedAt: at('2026-11-02').toISOString() },
  };
  return {
    id: 'case-1',
    type: 'vehicle',
    state: 'executed',
    caseNumber: '汨交罚〔2026〕第0001号',
    violationDate: new Date('2026-11-01T00:00:00Z'),
    facts: null,
    filedAt: at('2026-11-02'),
    decidedAt: at('2026-11-05'),
    servedAt: at('2026-11-06'),
    paidAt: at('2026-11-10'),
    closedAt: null,
    workflow,
    leadId: 'lead-1',
    lead: {
      plate: '湘F12345',
      violationAt: at('2026-11-01'),
      excessKg: 4200,
      proposedBasis: basis,
      proposedPenaltyKind: 'fine',
      proposedAmount: 2000,
    },
    parties: [{ role: 'owner', party: { name: '车主甲' } }],
    officers: [
      { userId: 'u-o1', user: user('u-o1', '刘执法', 'C-1') },
      { userId: 'u-o2', user: user('u-o2', '陈执法', 'C-2') },
    ],
    approvals: [
      { stage: 'filing', outcome: 'approved', approver: user('u-appr', '王局长') },
      { stage: 'decision', outcome: 'approved', approver: user('u-appr', '王局长') },
    ],
    legalReviews: [
      {
        reviewerId: 'u-rev',
        outcome: 'passed',
        reviewedAt: at('2026-11-04'),
        reviewer: user('u-rev', '赵审核'),
      },
    ],
    decision: { fineAmount: 2000, basis: basis.basis, documentId: 'doc-decision' },
    services: [
      {
        method: 'direct',
        recipient: '当事人本人',
        servedAt: at('2026-11-06'),
        documentId: 'doc-decision',
      },
    ],
    payments: [{ amount: 2000, lateFee: 0, receiptNo: 'R-1', paidAt: at('2026-11-10') }],
    investigations: [
      {
        kind: 'inquiry',
        documentId: 'doc-inquiry_record',
        interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
      },
    ],
    statements: [],
    evidenceCount: 3,
    vehicle: { plate: '湘F12345' },
    parent: null,
    parentCaseId: null,
    penalties: [],
    trips: [],
    servedDocuments: { 'doc-proof_of_service': '行政处罚决定书' },
    documents: [
      doc('filing_approval', '2026-11-02', 'N-LA-01'),
      doc('inquiry_record', '2026-11-02', 'N-XW-01'),
      doc('evidence_list', '2026-11-02', 'N-ZJ-01'),
      doc('pre_penalty_notice', '2026-11-03', 'N-GZ-01'),
      doc('legal_review_opinion', '2026-11-04', 'N-FS-01'),
      doc('decision', '2026-11-05', 'N-JD-01'),
      doc('proof_of_service', '2026-11-06', 'N-SD-01'),
      doc('payment_record', '2026-11-10', 'N-JK-01'),
    ],
  } as unknown as CaseFileRecords;
}

const evaluate = (r: CaseFileRecords, closing?: { at: Date; approverName: string }) => {
  const { caseFile, computedFineYuan } = assembleCaseFile(r, BUREAU, closing);
  return evaluateCaseFile(caseFile, DEFAULT_EVALUATION_RULES, catalogue, { computedFineYuan, timeZone: TZ });
};
const codes = (r: CaseFileRecords, closing?: { at: Date; approverName: string }) =>
  evaluate(r, closing).findings.map((f) => f.code);
const CLOSING = { at: at('2026-11-11'), approverName: '王局长' };

describe('assembleCaseFile: the case file the evaluation reads, from the case records', () => {
  it('maps a complete executed case: only the closing report is missing, and the closing writes it (100)', () => {
    expect(codes(records())).toEqual(['completeness.closing_report']);
    const atClosing = evaluate(records(), CLOSING);
    expect(atClosing.findings).toEqual([]);
    expect(atClosing.score).toBe(100);
  });

  it('reads dates in the bureau zone and the case type from the penalty', () => {
    const { caseFile, computedFineYuan } = assembleCaseFile(records(), BUREAU, CLOSING);
    expect(caseFile).toMatchObject({
      penaltyKind: 'fine',
      violationType: 'overload_gross',
      violationDate: '2026-11-01',
      defenceWaivedInWriting: true,
      legalReviewer: { userId: 'u-rev', name: '赵审核' },
      dates: { filedOn: '2026-11-02', decidedOn: '2026-11-05', closedOn: '2026-11-11' },
    });
    expect(computedFineYuan).toBe(2000);
  });

  it('a reviewer who is an officer of the case is found', () => {
    const r = records();
    (r.legalReviews[0] as { reviewerId: string }).reviewerId = 'u-o1';
    expect(codes(r, CLOSING)).toEqual(['consistency.reviewer_not_officer']);
  });

  it('one certified officer is found (Art. 42)', () => {
    const r = records();
    (r.officers[1]!.user as { enforcementCertificateNo: string | null }).enforcementCertificateNo = null;
    expect(codes(r, CLOSING)).toEqual(['consistency.two_officers']);
  });

  it('a decided fine that differs from what the rules computed, and from the payment, is found', () => {
    const r = records();
    (r.decision as unknown as { fineAmount: number }).fineAmount = 3000;
    expect(codes(r, CLOSING)).toEqual(['consistency.amount_identical', 'consistency.fine_as_computed']);
  });

  it('a missing document and an unknown cited code are found, pointing at the document', () => {
    const r = records();
    r.documents = r.documents.filter((d) => d.kind !== 'proof_of_service');
    (r.lead as unknown as { proposedBasis: unknown }).proposedBasis = {
      basis: [{ code: BASIS.grossFine }, { code: 'NOPE-1' }],
    };
    const result = evaluate(r, CLOSING);
    expect(result.findings.map((f) => f.code)).toEqual([
      'completeness.proof_of_service',
      'legal_basis.article_exists',
    ]);
    expect(result.findings[1]!.documentRef).toBe('pre_penalty_notice:N-GZ-01');
    expect(result.score).toBe(85);
  });

  it('a decision made before the legal review is out of order', () => {
    const r = records();
    (r.legalReviews[0] as { reviewedAt: Date }).reviewedAt = at('2026-11-07');
    expect(codes(r, CLOSING)).toEqual(['consistency.date_order']);
  });

  describe('the facts a correct file is judged by, from what the case stores', () => {
    it('a decision made early after the party waived the statement and withdrew its hearing request in writing is lawful', () => {
      const r = records();
      const w = r.workflow as unknown as {
        prePenaltyNotices: {
          hearingRight: boolean;
          waivers: unknown[];
          hearing?: unknown;
          proposedPenalty: { kind: string; amountYuan: number };
        }[];
      };
      // A 20,000 yuan fine: a hearing right; notice served on 3 November, decided on 5 November.
      const fine = 20_000;
      (r.lead as unknown as { proposedAmount: number }).proposedAmount = fine;
      (r.decision as unknown as { fineAmount: number }).fineAmount = fine;
      (r.payments[0] as unknown as { amount: number }).amount = fine;
      w.prePenaltyNotices[0]!.proposedPenalty.amountYuan = fine;
      w.prePenaltyNotices[0]!.hearingRight = true;
      w.prePenaltyNotices[0]!.hearing = {
        requestedAt: at('2026-11-03', 6).toISOString(),
        withdrawnAt: at('2026-11-04').toISOString(),
        withdrawalReason: 'withdrawn_in_writing',
      };
      const { caseFile } = assembleCaseFile(r, BUREAU, CLOSING);
      expect(caseFile).toMatchObject({
        statementWaivedInWriting: true,
        hearingWaivedInWriting: false,
        hearingRequestWithdrawnInWriting: true,
        defenceWaivedInWriting: false,
      });
      expect(codes(r, CLOSING)).toEqual([]);
      // Without the written withdrawal the early decision is found.
      (w.prePenaltyNotices[0]!.hearing as { withdrawalReason: string }).withdrawalReason =
        'absent_without_reason';
      expect(codes(r, CLOSING)).toEqual(['consistency.defence_period_respected']);
    });

    it('a late payment that includes the Art. 72 late fee matches the fine plus that fee', () => {
      const r = records();
      // Served on Friday 6 November: 15 days to pay, ending on Saturday 21 November, so on Monday 23 November;
      // paid on 27 November, 4 days late: 3% × 4 of 2,000 = 240 yuan, paid with the fine.
      const paid = at('2026-11-27');
      Object.assign(r, { paidAt: paid });
      r.payments = [{ amount: 2240, lateFee: 240, receiptNo: 'R-1', paidAt: paid }] as never;
      r.documents = r.documents.map((d) => (d.kind === 'payment_record' ? { ...d, createdAt: paid } : d));
      const closing = { ...CLOSING, at: at('2026-11-30') };
      expect(codes(r, closing)).toEqual([]);
      // The fine alone, paid late: the late fee owed was not collected, and the file says so.
      r.payments = [{ amount: 2000, lateFee: 0, receiptNo: 'R-1', paidAt: paid }] as never;
      expect(codes(r, closing)).toEqual(['consistency.payment_within_15_days']);
    });

    it('reads the remedies the case recorded, and their outcomes: a late fee paused while one was pending', () => {
      const r = records();
      // Paid on 27 November, 4 days after the period ended on 23 November; a reconsideration was pending from 20
      // to 27 November: no late fee runs while it is (Art. 73 ¶3), and the payment of the fine alone is right.
      const paid = at('2026-11-27');
      Object.assign(r, { paidAt: paid });
      r.payments = [{ amount: 2000, lateFee: 0, receiptNo: 'R-1', paidAt: paid }] as never;
      r.documents = r.documents.map((d) => (d.kind === 'payment_record' ? { ...d, createdAt: paid } : d));
      const remedy = {
        kind: 'reconsideration',
        body: '汨罗市人民政府',
        filedOn: '2026-11-20',
        recordedAt: at('2026-11-20').toISOString(),
        recordedBy: 'u-o1',
      };
      const closing = { ...CLOSING, at: at('2026-11-30') };
      expect(codes(r, closing)).toEqual(['consistency.payment_within_15_days']);
      Object.assign(r.workflow as object, {
        remedies: [{ ...remedy, outcome: 'upheld', concludedOn: '2026-11-27' }],
      });
      expect(assembleCaseFile(r, BUREAU).caseFile.remedies).toEqual([
        {
          kind: 'reconsideration',
          body: '汨罗市人民政府',
          filedOn: '2026-11-20',
          concludedOn: '2026-11-27',
          outcome: 'upheld',
        },
      ]);
      expect(codes(r, closing)).toEqual([]);
      // The same decision annulled on reconsideration: closing on it is a fault of the file.
      Object.assign(r.workflow as object, {
        remedies: [{ ...remedy, outcome: 'annulled', concludedOn: '2026-11-27' }],
      });
      expect(codes(r, closing)).toEqual(['consistency.remedy_outcome_followed']);
      // Still pending: no outcome, no conclusion.
      Object.assign(r.workflow as object, { remedies: [remedy] });
      expect(assembleCaseFile(r, BUREAU).caseFile.remedies).toEqual([
        {
          kind: 'reconsideration',
          body: '汨罗市人民政府',
          filedOn: '2026-11-20',
          concludedOn: null,
          outcome: null,
        },
      ]);
      expect(assembleCaseFile(records(), BUREAU).caseFile.remedies).toBeUndefined();
    });

    it('names the party of the case and its kind: the owner of a vehicle case, the unit of a source-unit case', () => {
      const r = records();
      (r.parties as unknown as { role: string; party: { name: string; kind: string } }[]) = [
        { role: 'owner', party: { name: '汨罗市甲混凝土有限公司', kind: 'organisation' } },
      ];
      expect(assembleCaseFile(r, BUREAU).caseFile.partyKind).toBe('organisation');
      const sub = records();
      Object.assign(sub, { type: 'source_unit', leadId: null, lead: null });
      (sub.parties as unknown as { role: string; party: { name: string; kind: string } }[]) = [
        { role: 'source_unit', party: { name: '汨罗市某砂石场', kind: 'organisation' } },
      ];
      (sub as unknown as { penalties: { ruleCode: string }[] }).penalties = [
        { ruleCode: 'source_unit_loading' },
      ];
      const { caseFile } = assembleCaseFile(sub, BUREAU);
      expect(caseFile.partyKind).toBe('organisation');
      expect(caseFile.violationType).toBe('source_unit_release');
      expect(caseFile.documents.find((d) => d.kind === 'decision')?.partyName).toBe('汨罗市某砂石场');
      (sub as unknown as { penalties: { ruleCode: string }[] }).penalties = [
        { ruleCode: 'source_unit_instructed_art68' },
      ];
      expect(assembleCaseFile(sub, BUREAU).caseFile.violationType).toBe('instructing_overload');
    });

    it('a weight warning with a size fine is checked part by part against the combined range', () => {
      const r = records();
      const parts = [
        { violation: 'overload_gross', kind: 'warning', amountYuan: 0, basis: [{ code: BASIS.grossFine }] },
        {
          violation: 'overload_dimension',
          kind: 'fine',
          amountYuan: 500,
          basis: [{ code: BASIS.dimensionFineTier2 }],
        },
      ];
      const basis = [
        { code: BASIS.grossFine },
        { code: BASIS.dimensionFineTier2 },
        { code: BASIS.cumulativeCap },
      ];
      Object.assign(r.lead!, { proposedBasis: { basis, parts }, proposedAmount: 500 });
      Object.assign(r.decision!, { fineAmount: 500, basis });
      (r.payments[0] as unknown as { amount: number }).amount = 500;
      const w = r.workflow as unknown as {
        prePenaltyNotices: { proposedPenalty: { amountYuan: number } }[];
        decision: { penalty: { amountYuan: number } };
        proposedPenalty: { amountYuan: number };
      };
      w.prePenaltyNotices[0]!.proposedPenalty.amountYuan = 500;
      w.decision.penalty.amountYuan = 500;
      w.proposedPenalty.amountYuan = 500;
      const { caseFile } = assembleCaseFile(r, BUREAU, CLOSING);
      expect(caseFile.violationTypes).toEqual(['overload_gross', 'overload_dimension']);
      expect(caseFile.documents.find((d) => d.kind === 'decision')?.penaltyParts).toEqual([
        { basisCode: BASIS.grossFine, kind: 'warning', amountYuan: 0 },
        { basisCode: BASIS.dimensionFineTier2, kind: 'fine', amountYuan: 500 },
      ]);
      expect(codes(r, CLOSING)).toEqual([]);
      // A size part outside its tier (1,500 yuan in 200–1,000) is found, though the total is within the sum.
      parts[1]!.amountYuan = 1500;
      Object.assign(r.lead!, { proposedBasis: { basis, parts }, proposedAmount: 1500 });
      Object.assign(r.decision!, { fineAmount: 1500 });
      (r.payments[0] as unknown as { amount: number }).amount = 1500;
      w.prePenaltyNotices[0]!.proposedPenalty.amountYuan = 1500;
      w.decision.penalty.amountYuan = 1500;
      w.proposedPenalty.amountYuan = 1500;
      expect(codes(r, CLOSING)).toEqual(['legal_basis.penalty_in_range']);
    });
  });

  /**
   * A sub-case of 一超四罚 has no lead: its party, plate, citations and evidence are its own (the driver ordered
   * to stop commercial transport, 《公路安全保护条例》 Art. 66), handled correctly through every step.
   */
  describe('a sub-case (一超四罚), from its own records', () => {
    const PLAN = {
      plan: {
        basis: [{ code: BASIS.repeatDriver }],
        counts: { caseIds: ['trip-1', 'trip-2', 'trip-3', 'case-parent'] },
      },
    };
    const trip = (id: string, n: number, decided: string | null) => ({
      caseId: id,
      caseNumber: `汨交罚〔2026〕第000${n}号`,
      violationDate: new Date(`2026-0${n}-10T00:00:00Z`),
      decidedAt: decided ? at(decided) : null,
      decisionNumber: decided ? `汨交罚〔2026〕第000${n}号-JD-01` : null,
    });
    function driverSubCase(): CaseFileRecords {
      const r = records();
      const order = { kind: 'order_stop_transport' };
      const w = r.workflow as unknown as Record<string, unknown>;
      Object.assign(w, {
        proposedPenalty: order,
        decision: { penalty: order, decidedAt: at('2026-11-05').toISOString() },
        prePenaltyNotices: [
          {
            servedAt: at('2026-11-03').toISOString(),
            proposedPenalty: order,
            hearingRight: true,
            waivers: [
              { right: 'statement', signedAt: at('2026-11-03').toISOString(), documentId: 'w1' },
              { right: 'hearing', signedAt: at('2026-11-03').toISOString(), documentId: 'w2' },
            ],
            statements: [],
          },
        ],
      });
      return Object.assign(r, {
        type: 'driver',
        leadId: null,
        lead: null,
        parentCaseId: 'case-parent',
        parent: { lead: { plate: '湘F12345' } },
        paidAt: null,
        payments: [],
        evidenceCount: 0,
        // 违法事实 as planning writes it (the trips counted against Art. 66's "more than 3").
        facts:
          '驾驶人驾驶人甲驾驶车辆违法超限运输：……。该驾驶人违法超限运输计4次，超过《公路安全保护条例》第六十六条规定的3次。',
        parties: [{ role: 'driver', party: { name: '驾驶人甲', kind: 'person' } }],
        penalties: [{ ruleCode: 'driver_repeat_art66', counts: PLAN, legalBasisCode: BASIS.repeatDriver }],
        decision: {
          fineAmount: null,
          basis: [{ code: BASIS.repeatDriver, article: '第六十六条' }],
          documentId: 'doc-decision',
        },
        trips: [
          trip('trip-1', 2, '2026-02-20'),
          trip('trip-2', 4, '2026-04-20'),
          trip('trip-3', 6, '2026-06-20'),
          trip('case-parent', 9, null),
        ],
        documents: r.documents.filter((d) => d.kind !== 'payment_record'),
      }) as unknown as CaseFileRecords;
    }
    const docOf = (r: CaseFileRecords, kind: string, closing?: typeof CLOSING) =>
      assembleCaseFile(r, BUREAU, closing).caseFile.documents.find((d) => d.kind === kind);

    it('a driver’s file handled correctly scores 100: nothing "not filled" for want of a lead', () => {
      const result = evaluate(driverSubCase(), CLOSING);
      expect(result.findings).toEqual([]);
      expect(result.score).toBe(100);
    });

    it('states no single plate for a driver’s or an enterprise’s case; a certificate’s or source unit’s states its vehicle’s', () => {
      expect(docOf(driverSubCase(), 'decision')?.plate).toBeNull();
      const enterprise = Object.assign(driverSubCase(), {
        type: 'enterprise',
        parties: [{ role: 'enterprise', party: { name: '汨罗市甲运输有限公司', kind: 'organisation' } }],
      });
      expect(docOf(enterprise, 'pre_penalty_notice')?.plate).toBeNull();
      // The vehicle a certificate case revokes: the case's vehicle (the parent trip's).
      const certificate = Object.assign(driverSubCase(), {
        type: 'vehicle_certificate',
        vehicle: { plate: '湘F54321' },
        parties: [{ role: 'owner', party: { name: '车主甲', kind: 'person' } }],
      });
      for (const kind of ['inquiry_record', 'pre_penalty_notice', 'decision'])
        expect(docOf(certificate, kind)?.plate).toBe('湘F54321');
      // A source unit loaded the parent trip's vehicle: its lead's plate when the case has no vehicle row.
      const source = Object.assign(driverSubCase(), {
        type: 'source_unit',
        vehicle: null,
        parties: [{ role: 'source_unit', party: { name: '汨罗市某砂石场', kind: 'organisation' } }],
        penalties: [{ ruleCode: 'source_unit_loading', counts: {}, legalBasisCode: null }],
      });
      expect(docOf(source, 'decision')?.plate).toBe('湘F12345');
      // Without any vehicle a certificate's documents lack their plate, and the rule says so.
      const none = Object.assign(certificate, { vehicle: null, parent: null });
      const plates = evaluate(none, CLOSING).findings.filter((f) =>
        f.details.some((d) => d.includes('plate')),
      );
      expect(plates.map((f) => f.code)).toEqual([
        'completeness.inquiry_record',
        'completeness.pre_penalty_notice',
        'completeness.decision',
      ]);
    });

    it('the notice cites what the sub-case’s plan and penalty cite, so the legal-basis checks see it', () => {
      const r = driverSubCase();
      expect(docOf(r, 'pre_penalty_notice')?.basisCodes).toEqual([BASIS.repeatDriver]);
      expect(docOf(r, 'decision')?.basisCodes).toEqual([BASIS.repeatDriver]);
      // A plan citing an article the catalogue lacks, and one of another violation: found on the notice.
      (r.penalties[0] as { counts: unknown }).counts = {
        plan: { ...PLAN.plan, basis: [{ code: BASIS.repeatDriver }, { code: 'NOPE-66' }] },
      };
      (r.penalties[0] as { legalBasisCode: string }).legalBasisCode = BASIS.grossFine;
      const found = evaluate(r, CLOSING).findings;
      expect(found.map((f) => [f.code, f.documentRef])).toEqual([
        ['legal_basis.article_exists', 'pre_penalty_notice:N-GZ-01'],
        ['legal_basis.fits_violation_type', 'pre_penalty_notice:N-GZ-01'],
      ]);
      // A sub-case decided before its decision row stored its codes: the codes its document printed.
      Object.assign(r, { decision: { ...r.decision, basis: [] } });
      expect(docOf(r, 'decision')?.basisCodes).toEqual([BASIS.repeatDriver, 'NOPE-66', BASIS.grossFine]);
    });

    it('lists the trips it counts as its evidence, each with its decision; none recorded, the list is empty', () => {
      const items = docOf(driverSubCase(), 'evidence_list')?.fields?.['items'] as string;
      expect(items).toContain(
        '已决定的违法超限运输案件 汨交罚〔2026〕第0002号（违法日期 2026-02-10，2026-02-20决定（汨交罚〔2026〕第0002号-JD-01））',
      );
      expect(items).toContain('本次违法超限运输案件 汨交罚〔2026〕第0009号（违法日期 2026-09-10）');
      expect(items.match(/违法超限运输案件/g)).toHaveLength(4);
      const bare = Object.assign(driverSubCase(), { trips: [] });
      const found = evaluate(bare, CLOSING).findings;
      expect(found.map((f) => [f.code, f.details])).toEqual([
        ['completeness.evidence_list', ['not filled: items (证据目录)']],
      ]);
    });
  });

  describe('the inquiry record names the person questioned, as stored', () => {
    const interviewee = (r: CaseFileRecords) =>
      assembleCaseFile(r, BUREAU).caseFile.documents.find((d) => d.kind === 'inquiry_record')?.fields?.[
        'interviewee'
      ];

    it('from the investigation row, else the snapshot; a record naming no one is found, saying so', () => {
      expect(interviewee(records())).toBe('龚昇');
      const fromSnapshot = records();
      (fromSnapshot.investigations[0] as { interviewee: unknown }).interviewee = null;
      Object.assign(fromSnapshot.workflow as object, {
        investigationRecords: [
          {
            kind: 'inquiry',
            recordedAt: at('2026-11-02').toISOString(),
            recordedBy: 'u-o1',
            documentId: 'doc-inquiry_record',
            interviewee: { name: '李四', idNumber: '430681198001011236', relation: 'owner' },
          },
        ],
      });
      expect(interviewee(fromSnapshot)).toBe('李四');
      // An older record names no one: not the party in its place.
      const older = records();
      (older.investigations[0] as { interviewee: unknown }).interviewee = null;
      expect(interviewee(older)).toBeNull();
      const found = evaluate(older, CLOSING).findings;
      expect(found).toEqual([
        expect.objectContaining({
          code: 'completeness.inquiry_record',
          documentRef: 'inquiry_record:N-XW-01',
          details: ['not filled: interviewee (被询问人)'],
        }),
      ]);
    });
  });

  describe('the decision’s 送达回证 among the proofs of every served document', () => {
    const proof = (id: string, day: string, number: string) => ({
      ...doc('proof_of_service', day, number),
      id,
    });

    it('judges the decision’s service by its own proof, not by a later 催告书’s or an earlier notice’s', () => {
      const r = records();
      r.documents = [
        ...r.documents.slice(0, 4),
        proof('p-notice', '2026-11-03', 'N-SD-00'),
        ...r.documents.slice(4),
        proof('p-demand', '2026-11-09', 'N-SD-02'),
      ] as never;
      Object.assign(r, {
        servedDocuments: {
          'p-notice': '行政处罚告知书',
          'doc-proof_of_service': '行政处罚决定书',
          'p-demand': '催告书',
        },
      });
      const proofs = assembleCaseFile(r, BUREAU).caseFile.documents.filter(
        (d) => d.kind === 'proof_of_service',
      );
      expect(proofs).toEqual([
        expect.objectContaining({
          number: 'N-SD-01',
          dated: '2026-11-06',
          fields: { serviceMethod: 'direct', recipient: '当事人本人' },
        }),
      ]);
      expect(codes(r, CLOSING)).toEqual([]);
      // Only the 催告书's and the notice's proofs: the decision's service is not proven.
      r.documents = r.documents.filter((d) => d.id !== 'doc-proof_of_service');
      const result = evaluate(r, CLOSING);
      expect(result.findings).toEqual([
        expect.objectContaining({
          code: 'completeness.proof_of_service',
          details: ['proof_of_service is missing'],
        }),
      ]);
    });

    it('a proof whose text names no document is the decision’s (the template’s default)', () => {
      const r = records();
      Object.assign(r, { servedDocuments: { 'doc-proof_of_service': null } });
      expect(codes(r, CLOSING)).toEqual([]);
    });
  });
});
