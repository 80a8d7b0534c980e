import { DEFAULT_CASE_POLICY, LEGAL_PERIODS } from '@ecc/legal-domain';
import { addDays, daysBetween, type IsoDate } from '@ecc/shared-kernel';
import { type CatalogueArticle } from './catalogue-article';
import { type CaseDocument, type CaseFileSnapshot, documentRef } from './case-file.types';
import { type EvaluationContext } from './evaluation.policy';

/** One flaw a check found: where, and what. */
export interface Fault {
  documentRef: string | null;
  detail: string;
}

export interface CheckInput {
  caseFile: CaseFileSnapshot;
  catalogue: CatalogueArticle[];
  context: EvaluationContext;
}

export type CaseFileCheck = (input: CheckInput) => Fault[];

const decisionOf = (f: CaseFileSnapshot) => f.documents.find((d) => d.kind === 'decision');

/** Pairs of case dates that must not be reversed, in the order the procedure runs. */
const DATE_ORDER: [keyof CaseFileSnapshot['dates'] | 'violationDate', keyof CaseFileSnapshot['dates']][] = [
  ['violationDate', 'filedOn'],
  ['filedOn', 'noticeServedOn'],
  ['noticeServedOn', 'hearingNotifiedOn'],
  ['hearingNotifiedOn', 'hearingHeldOn'],
  ['hearingHeldOn', 'decidedOn'],
  ['filedOn', 'legalReviewedOn'],
  ['legalReviewedOn', 'decidedOn'],
  ['noticeServedOn', 'decidedOn'],
  ['decidedOn', 'servedOn'],
  ['servedOn', 'paidOn'],
  ['servedOn', 'closedOn'],
  ['paidOn', 'closedOn'],
];

function dateOf(f: CaseFileSnapshot, key: keyof CaseFileSnapshot['dates'] | 'violationDate'): IsoDate | null {
  return key === 'violationDate' ? f.violationDate : (f.dates[key] ?? null);
}

/** At most `limit` days from `from` to `to`; silent when either date is missing (completeness says so). */
function withinDays(
  from: IsoDate | null | undefined,
  to: IsoDate | null | undefined,
  limit: number,
): string | null {
  if (!from || !to) return null;
  const days = daysBetween(from, to);
  return days > limit ? `${days} days from ${from} to ${to}, limit ${limit}` : null;
}

const caseFault = (detail: string | null): Fault[] => (detail ? [{ documentRef: null, detail }] : []);

/** Documents stating a value, compared with the decision's (or else the first document's) value. */
function sameAcrossDocuments(
  f: CaseFileSnapshot,
  pick: (d: CaseDocument) => string | null | undefined,
  normalise: (v: string) => string,
  label: string,
): Fault[] {
  const stating = f.documents.flatMap((doc) => {
    const value = pick(doc)?.trim();
    return value ? [{ doc, value }] : [];
  });
  const reference = stating.find((s) => s.doc.kind === 'decision') ?? stating[0];
  if (!reference) return [];
  return stating
    .filter((s) => normalise(s.value) !== normalise(reference.value))
    .map((s) => ({
      documentRef: documentRef(s.doc),
      detail: `${label} "${s.value}" differs from "${reference.value}" on ${documentRef(reference.doc)}`,
    }));
}

const citing = (f: CaseFileSnapshot) => f.documents.filter((d) => d.basisCodes?.length);

function eachCitation(
  input: CheckInput,
  fault: (doc: CaseDocument, code: string, article: CatalogueArticle | undefined) => string | null,
): Fault[] {
  const faults: Fault[] = [];
  for (const doc of citing(input.caseFile)) {
    for (const code of doc.basisCodes ?? []) {
      const detail = fault(
        doc,
        code,
        input.catalogue.find((a) => a.code === code),
      );
      if (detail) faults.push({ documentRef: documentRef(doc), detail });
    }
  }
  return faults;
}

/** 听证 (行政处罚法 Art. 63): large fines and the heavy non-monetary penalties give the right to a hearing. */
function hearingEligible(f: CaseFileSnapshot, hearingThresholdYuan: number): boolean {
  if (
    f.caseType === 'suspend_business' ||
    f.caseType === 'revoke_certificate' ||
    f.caseType === 'order_stop_transport'
  ) {
    return true;
  }
  const amounts = f.documents
    .filter((d) => d.kind === 'pre_penalty_notice' || d.kind === 'decision')
    .map((d) => d.amountYuan ?? 0);
  return amounts.some((a) => a >= hearingThresholdYuan);
}

/** The built-in consistency and legal-basis checks, by rule code. */
export const CASE_FILE_CHECKS: Record<string, CaseFileCheck> = {
  'consistency.date_order': ({ caseFile: f }) =>
    DATE_ORDER.flatMap(([earlier, later]) => {
      const a = dateOf(f, earlier);
      const b = dateOf(f, later);
      return a && b && b < a ? [{ documentRef: null, detail: `${later} ${b} precedes ${earlier} ${a}` }] : [];
    }),

  // 行政处罚法 Art. 60: decided within 90 days of filing.
  'consistency.decision_within_90_days': ({ caseFile: f }) =>
    caseFault(withinDays(f.dates.filedOn, f.dates.decidedOn, LEGAL_PERIODS.decisionWithinDaysOfFiling)),

  // Art. 44/45 and Art. 64: no decision before the statement period (policy) and, where a hearing may be
  // requested, the 5-day request period have ended — unless the party waived them in writing.
  'consistency.defence_period_respected': ({ caseFile: f, context }) => {
    const notice = f.dates.noticeServedOn;
    const decided = f.dates.decidedOn;
    if (!notice || !decided || f.defenceWaivedInWriting) return [];
    const policy = context.casePolicy ?? DEFAULT_CASE_POLICY;
    const days = hearingEligible(f, policy.hearingThresholdYuan)
      ? Math.max(LEGAL_PERIODS.hearingRequestDays, policy.statementDays)
      : policy.statementDays;
    const lastDay = addDays(notice, days);
    return decided <= lastDay
      ? caseFault(
          `decided on ${decided}, within the ${days}-day period after the notice of ${notice} (ends ${lastDay})`,
        )
      : [];
  },

  // Art. 64(2): the party is told of the hearing at least 7 days before it is held.
  'consistency.hearing_notice_7_days': ({ caseFile: f }) => {
    const held = f.dates.hearingHeldOn;
    if (!held) return [];
    const notified = f.dates.hearingNotifiedOn;
    if (!notified) return caseFault(`hearing held on ${held} without a recorded notification`);
    const days = daysBetween(notified, held);
    return days < LEGAL_PERIODS.hearingNoticeDaysBefore
      ? caseFault(
          `notified ${notified}, held ${held}: ${days} days, at least ${LEGAL_PERIODS.hearingNoticeDaysBefore}`,
        )
      : [];
  },

  // Art. 61: served within 7 days of the decision.
  'consistency.service_within_7_days': ({ caseFile: f }) =>
    caseFault(withinDays(f.dates.decidedOn, f.dates.servedOn, LEGAL_PERIODS.serviceWithinDaysOfDecision)),

  // Art. 67: paid within 15 days of service; later, Art. 72 adds 3% of the fine a day, capped at the fine.
  'consistency.payment_within_15_days': ({ caseFile: f }) => {
    const { servedOn, paidOn } = f.dates;
    const fine = decisionOf(f)?.amountYuan;
    if (!servedOn || !paidOn || !fine) return [];
    const lateDays = daysBetween(servedOn, paidOn) - LEGAL_PERIODS.paymentWithinDaysOfService;
    if (lateDays <= 0) return [];
    const due = Math.min(Math.round(fine * LEGAL_PERIODS.lateFeeRatePerDay * lateDays * 100) / 100, fine);
    const record = f.documents.find((d) => d.kind === 'payment_record');
    const collected = record?.lateFeeYuan ?? 0;
    return Math.abs(collected - due) < 0.005
      ? []
      : [
          {
            documentRef: record ? documentRef(record) : null,
            detail: `paid ${lateDays} days late: late fine due ${due} yuan, recorded ${collected}`,
          },
        ];
  },

  'consistency.party_identical': ({ caseFile: f }) =>
    sameAcrossDocuments(
      f,
      (d) => d.partyName,
      (v) => v.replace(/\s+/g, ''),
      'party',
    ),

  'consistency.plate_identical': ({ caseFile: f }) =>
    sameAcrossDocuments(
      f,
      (d) => d.plate,
      (v) => v.replace(/\s+/g, '').toUpperCase(),
      'plate',
    ),

  // The decided amount runs through service, payment and closing unchanged. The notice may have proposed
  // more (reduced after the defence) but never less: Art. 45 forbids a heavier penalty for defending.
  'consistency.amount_identical': ({ caseFile: f }) => {
    const decided = decisionOf(f)?.amountYuan;
    if (decided === null || decided === undefined) return [];
    return f.documents.flatMap((d) => {
      const amount = d.amountYuan;
      if (d.kind === 'decision' || amount === null || amount === undefined) return [];
      const fits = d.kind === 'pre_penalty_notice' ? amount >= decided : amount === decided;
      return fits
        ? []
        : [{ documentRef: documentRef(d), detail: `amount ${amount} yuan against ${decided} yuan decided` }];
    });
  },

  'consistency.fine_as_computed': ({ caseFile: f, context }) => {
    const computed = context.computedFineYuan;
    const decision = decisionOf(f);
    if (computed === null || computed === undefined || !decision || decision.amountYuan === null) return [];
    return decision.amountYuan === computed
      ? []
      : [
          {
            documentRef: documentRef(decision),
            detail: `decided ${decision.amountYuan ?? 'no'} yuan, the rules compute ${computed} yuan`,
          },
        ];
  },

  // 行政处罚法 Art. 42: at least two officers holding enforcement certificates.
  'consistency.two_officers': ({ caseFile: f }) => {
    const certified = new Set(f.officers.filter((o) => o.certificateNo?.trim()).map((o) => o.userId));
    return certified.size >= 2
      ? []
      : caseFault(`${certified.size} officer(s) with an enforcement certificate`);
  },

  // Art. 58: the legal review is made by someone who did not handle the case.
  'consistency.reviewer_not_officer': ({ caseFile: f }) => {
    const reviewer = f.legalReviewer;
    if (!reviewer) return caseFault('no legal reviewer recorded');
    return f.officers.some((o) => o.userId === reviewer.userId)
      ? caseFault(`legal reviewer ${reviewer.name} is an officer of the case`)
      : [];
  },

  'legal_basis.article_exists': (input) =>
    eachCitation(input, (_doc, code, article) =>
      article ? null : `${code} is not in the legal-basis catalogue`,
    ),

  'legal_basis.in_force': (input) => {
    const on = input.caseFile.violationDate;
    return eachCitation(input, (_doc, code, a) =>
      a && (on < a.validFrom || (a.validTo !== null && on > a.validTo))
        ? `${code} in force ${a.validFrom}–${a.validTo ?? 'now'}, not on the violation date ${on}`
        : null,
    );
  },

  'legal_basis.fits_violation_type': (input) => {
    const type = input.caseFile.violationType;
    return eachCitation(input, (_doc, code, a) =>
      a && a.violationTypes.length > 0 && !a.violationTypes.includes(type)
        ? `${code} applies to ${a.violationTypes.join(', ')}, not to ${type}`
        : null,
    );
  },

  'legal_basis.penalty_in_range': (input) =>
    eachCitation(input, (doc, code, a) => {
      const amount = doc.amountYuan;
      if (!a || amount === null || amount === undefined) return null;
      const below = a.minYuan !== null && a.minYuan !== undefined && amount < a.minYuan;
      const above = a.maxYuan !== null && a.maxYuan !== undefined && amount > a.maxYuan;
      return below || above
        ? `${amount} yuan outside ${a.minYuan ?? 0}–${a.maxYuan ?? '∞'} yuan of ${code}`
        : null;
    }),
};
