import {
  decisionDeadline,
  decisionNotBefore,
  type DeadlineContext,
  hasHearingRight,
  hearingNoticeLatest,
  lateFee,
  type PenaltyKind,
  paymentDeadline,
  serviceDeadline,
} from '@ecc/legal-domain';
import { localDate, startOfLocalDay, type IsoDate } from '@ecc/shared-kernel';
import { type CatalogueArticle } from './catalogue-article';
import { type CaseDocument, type CaseFileSnapshot, type CaseType, documentRef } from './case-file.types';
import { DEFAULT_CALENDAR, DEFAULT_TIME_ZONE, type EvaluationContext } from './evaluation.policy';

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

/**
 * The legal periods as `@ecc/legal-domain` counts them (行政处罚法 Art. 85: its 5- and 7-day periods are
 * working days; party periods ending on a holiday move to the next working day). Case dates are local
 * dates; a period starts at the beginning of its day, which is the same day for the counting.
 */
function deadlineContext(context: EvaluationContext): DeadlineContext {
  return {
    timeZone: context.timeZone ?? DEFAULT_TIME_ZONE,
    calendar: context.calendar ?? DEFAULT_CALENDAR,
    ...(context.casePolicy ? { policy: context.casePolicy } : {}),
  };
}

const startOf = (day: IsoDate, ctx: DeadlineContext) => startOfLocalDay(day, ctx.timeZone);

const PENALTY_KIND: Record<CaseType, PenaltyKind> = {
  fine: 'fine',
  warning: 'warning',
  order_stop_transport: 'order_stop',
  suspend_business: 'suspend',
  revoke_certificate: 'revoke',
};

/** 听证 (Art. 63), judged on the heaviest amount proposed or decided. */
function hearingRight(f: CaseFileSnapshot, context: EvaluationContext): boolean {
  const amounts = f.documents
    .filter((d) => d.kind === 'pre_penalty_notice' || d.kind === 'decision')
    .map((d) => d.amountYuan ?? 0);
  return hasHearingRight(
    { kind: PENALTY_KIND[f.caseType], amountYuan: Math.max(0, ...amounts) },
    context.casePolicy,
  );
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

interface Citation {
  doc: CaseDocument;
  code: string;
  /** Every catalogue version of the code, and the one in force on the violation date. */
  versions: CatalogueArticle[];
  inForce: CatalogueArticle | undefined;
}

function eachCitation(input: CheckInput, fault: (citation: Citation) => string | null): Fault[] {
  const on = input.caseFile.violationDate;
  return input.caseFile.documents.flatMap((doc) =>
    (doc.basisCodes ?? []).flatMap((code) => {
      const versions = input.catalogue.filter((a) => a.code === code);
      const inForce = versions.find((a) => a.validFrom <= on && (a.validTo === null || on <= a.validTo));
      const detail = fault({ doc, code, versions, inForce });
      return detail ? [{ documentRef: documentRef(doc), detail }] : [];
    }),
  );
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
  'consistency.decision_within_90_days': ({ caseFile: f, context }) => {
    const { filedOn, decidedOn } = f.dates;
    if (!filedOn || !decidedOn) return [];
    const ctx = deadlineContext(context);
    const { lastDay } = decisionDeadline(startOf(filedOn, ctx), ctx);
    return caseFault(
      decidedOn > lastDay ? `filed ${filedOn}, decided ${decidedOn}: the 90 days ended ${lastDay}` : null,
    );
  },

  // Art. 44, 45, 64: no decision before the statement period and, with a right to a hearing, the 5-working-day
  // request period have ended — unless the party waived them in writing.
  'consistency.defence_period_respected': ({ caseFile: f, context }) => {
    const { noticeServedOn, decidedOn } = f.dates;
    if (!noticeServedOn || !decidedOn || f.defenceWaivedInWriting) return [];
    const ctx = deadlineContext(context);
    const { at } = decisionNotBefore(startOf(noticeServedOn, ctx), ctx, {
      hearingRight: hearingRight(f, context),
    });
    const earliest = localDate(at, ctx.timeZone);
    return caseFault(
      decidedOn < earliest
        ? `decided ${decidedOn}; after the notice of ${noticeServedOn}, not before ${earliest}`
        : null,
    );
  },

  // Art. 64(2) with Art. 85: the party is told of the hearing 7 working days before it is held.
  'consistency.hearing_notice_7_days': ({ caseFile: f, context }) => {
    const { hearingHeldOn, hearingNotifiedOn } = f.dates;
    if (!hearingHeldOn) return [];
    if (!hearingNotifiedOn)
      return caseFault(`hearing held on ${hearingHeldOn} without a recorded notification`);
    const ctx = deadlineContext(context);
    const { lastDay } = hearingNoticeLatest(startOf(hearingHeldOn, ctx), ctx);
    return caseFault(
      hearingNotifiedOn > lastDay
        ? `hearing on ${hearingHeldOn} notified ${hearingNotifiedOn}, at the latest ${lastDay}`
        : null,
    );
  },

  // Art. 61 with Art. 85: served within 7 working days of the decision.
  'consistency.service_within_7_days': ({ caseFile: f, context }) => {
    const { decidedOn, servedOn } = f.dates;
    if (!decidedOn || !servedOn) return [];
    const ctx = deadlineContext(context);
    const { lastDay } = serviceDeadline(startOf(decidedOn, ctx), ctx);
    return caseFault(
      servedOn > lastDay ? `decided ${decidedOn}, served ${servedOn}, due by ${lastDay}` : null,
    );
  },

  // Art. 67: paid within 15 days of service; later, Art. 72 adds 3% of the fine a day, capped at the fine.
  'consistency.payment_within_15_days': ({ caseFile: f, context }) => {
    const { servedOn, paidOn } = f.dates;
    const fine = decisionOf(f)?.amountYuan;
    if (!servedOn || !paidOn || !fine) return [];
    const ctx = deadlineContext(context);
    const due = paymentDeadline(startOf(servedOn, ctx), ctx).lastDay;
    if (paidOn <= due) return [];
    const owed = lateFee(fine, due, paidOn);
    const record = f.documents.find((d) => d.kind === 'payment_record');
    const collectedFen = Math.round((record?.lateFeeYuan ?? 0) * 100);
    return collectedFen === owed.amountFen
      ? []
      : [
          {
            documentRef: record ? documentRef(record) : null,
            detail: `paid ${owed.daysLate} days after ${due}: late fine ${owed.amountYuan} yuan, recorded ${collectedFen / 100}`,
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
    eachCitation(input, ({ code, versions }) =>
      versions.length ? null : `${code} is not in the legal-basis catalogue`,
    ),

  'legal_basis.in_force': (input) =>
    eachCitation(input, ({ code, versions, inForce }) =>
      versions.length && !inForce
        ? `${code} (${versions.map((a) => `${a.validFrom}–${a.validTo ?? 'now'}`).join(', ')}) not in force on the violation date ${input.caseFile.violationDate}`
        : null,
    ),

  // An article with no violation types is procedural and fits any case.
  'legal_basis.fits_violation_type': (input) => {
    const type = input.caseFile.violationType;
    return eachCitation(input, ({ code, inForce: a }) =>
      a && a.violationTypes.length > 0 && !a.violationTypes.includes(type)
        ? `${code} applies to ${a.violationTypes.join(', ')}, not to ${type}`
        : null,
    );
  },

  'legal_basis.penalty_in_range': (input) =>
    eachCitation(input, ({ doc, code, inForce: a }) => {
      const amount = doc.amountYuan;
      if (!a || amount === null || amount === undefined) return null;
      const below = a.minYuan !== null && a.minYuan !== undefined && amount < a.minYuan;
      const above = a.maxYuan !== null && a.maxYuan !== undefined && amount > a.maxYuan;
      return below || above
        ? `${amount} yuan outside ${a.minYuan ?? 0}–${a.maxYuan ?? '∞'} yuan of ${code}`
        : null;
    }),
};
