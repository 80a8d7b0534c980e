import {
  BASIS,
  decisionDeadline,
  decisionNotBefore,
  type DeadlineContext,
  hasHearingRight,
  hearingNoticeLatest,
  lateFee,
  paymentDeadline,
  serviceDeadline,
} from '@ecc/legal-domain';
import { localDate, startOfLocalDay, type IsoDate } from '@ecc/shared-kernel';
import { type CatalogueArticle } from './catalogue-article';
import { type CaseDocument, type CaseFileSnapshot, type CaseRemedy, documentRef } from './case-file.types';
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

/**
 * 听证 (Art. 63), judged on the heaviest amount proposed or decided and the party's kind; a party of unknown
 * kind is judged by the person's threshold, the lower one, so that a lawful hearing is never found missing.
 */
function hearingRight(f: CaseFileSnapshot, context: EvaluationContext): boolean {
  const amounts = f.documents
    .filter((d) => d.kind === 'pre_penalty_notice' || d.kind === 'decision')
    .map((d) => d.amountYuan ?? 0);
  return hasHearingRight(
    {
      kind: f.penaltyKind,
      amountYuan: Math.max(0, ...amounts),
      partyKind: f.partyKind ?? 'person',
    },
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
  /** Every catalogue version of the code, and the one in force on the day that governs it. */
  versions: CatalogueArticle[];
  inForce: CatalogueArticle | undefined;
  /** That day: the violation's for a penalty provision, the document's own for a procedural one. */
  on: IsoDate;
}

const inForceOn = (a: CatalogueArticle, on: IsoDate) =>
  a.validFrom <= on && (a.validTo === null || on <= a.validTo);

/**
 * A provision that names no violation type is procedural (or a remedy): it governs the act the document
 * records, so it is the version in force on the document's date that applies (行政处罚法 and 行政复议法 revised
 * between a violation and its decision); a penalty provision is the one in force when the violation happened.
 */
function eachCitation(input: CheckInput, fault: (citation: Citation) => string | null): Fault[] {
  const violationDay = input.caseFile.violationDate;
  return input.caseFile.documents.flatMap((doc) =>
    (doc.basisCodes ?? []).flatMap((code) => {
      const versions = input.catalogue.filter((a) => a.code === code);
      const procedural = versions.length > 0 && versions.every((a) => a.violationTypes.length === 0);
      const on = procedural ? (doc.dated ?? violationDay) : violationDay;
      const inForce = versions.find((a) => inForceOn(a, on));
      const detail = fault({ doc, code, versions, inForce, on });
      return detail ? [{ documentRef: documentRef(doc), detail }] : [];
    }),
  );
}

const rangeText = (a: CatalogueArticle) => `${a.minYuan ?? 0}–${a.maxYuan ?? '∞'} yuan`;
const outside = (amount: number, a: CatalogueArticle) =>
  (a.minYuan != null && amount < a.minYuan) || (a.maxYuan != null && amount > a.maxYuan);

/**
 * The amount of a document against the articles it cites. A combined decision adds its penalties up
 * (《超限运输车辆行驶公路管理规定》 Art. 43(2), at most 30,000 yuan in all): with its parts stated, each part lies in
 * its own article's range and the parts add up to the amount (capped); without them, where the cumulative
 * cap is cited, the amount lies in the combined range of the fines cited (the sum of the minimums to the sum of
 * the maximums, capped). Otherwise each cited article's range applies to the amount.
 */
function penaltyRangeFaults(input: CheckInput, doc: CaseDocument): Fault[] {
  const amount = doc.amountYuan;
  if (amount === null || amount === undefined) return [];
  const on = input.caseFile.violationDate;
  const article = (code: string) =>
    input.catalogue.find(
      (a) => a.code === code && inForceOn(a, on) && (a.minYuan != null || a.maxYuan != null),
    );
  const fault = (detail: string): Fault[] => [{ documentRef: documentRef(doc), detail }];
  const cap = (doc.basisCodes ?? []).includes(BASIS.cumulativeCap) ? article(BASIS.cumulativeCap) : undefined;
  const capMax = cap?.maxYuan ?? Infinity;

  if (doc.penaltyParts?.length) {
    const faults = doc.penaltyParts.flatMap((part) => {
      const a = article(part.basisCode);
      if (part.kind === 'warning')
        return part.amountYuan === 0
          ? []
          : fault(`a warning under ${part.basisCode} carries ${part.amountYuan} yuan`);
      return a && outside(part.amountYuan, a)
        ? fault(`${part.amountYuan} yuan outside ${rangeText(a)} of ${part.basisCode}`)
        : [];
    });
    const sum = doc.penaltyParts.reduce((total, p) => total + p.amountYuan, 0);
    const expected = Math.min(sum, capMax);
    return expected === amount
      ? faults
      : [...faults, ...fault(`${amount} yuan stated, the parts add up to ${expected} yuan`)];
  }

  const ranged = (doc.basisCodes ?? [])
    .filter((code) => code !== BASIS.cumulativeCap)
    .flatMap((code) => {
      const a = article(code);
      return a ? [{ code, a }] : [];
    });
  if (cap && ranged.length > 1) {
    const min = ranged.reduce((total, r) => total + (r.a.minYuan ?? 0), 0);
    const max = Math.min(
      ranged.reduce((total, r) => total + (r.a.maxYuan ?? Infinity), 0),
      capMax,
    );
    return amount < min || amount > max
      ? fault(
          `${amount} yuan outside the combined ${min}–${max} yuan of ${ranged.map((r) => r.code).join(' + ')}`,
        )
      : [];
  }
  return ranged
    .filter((r) => amount <= 0 || outside(amount, r.a))
    .flatMap((r) => fault(`${amount} yuan outside ${rangeText(r.a)} of ${r.code}`));
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
  // request period have ended — unless the party gave them up in writing (a waiver, a withdrawn request).
  'consistency.defence_period_respected': ({ caseFile: f, context }) => {
    const { noticeServedOn, decidedOn } = f.dates;
    if (!noticeServedOn || !decidedOn || f.defenceWaivedInWriting) return [];
    const ctx = deadlineContext(context);
    const { at } = decisionNotBefore(startOf(noticeServedOn, ctx), ctx, {
      hearingRight: hearingRight(f, context),
      givenUp: {
        statement: !!f.statementWaivedInWriting,
        hearing: !!(f.hearingWaivedInWriting || f.hearingRequestWithdrawnInWriting),
      },
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

  // Art. 67: paid within 15 days of service; later, Art. 72 adds 3% of the fine a day, capped at the fine, not
  // counting the days a reconsideration or lawsuit was pending (Art. 73 ¶3).
  'consistency.payment_within_15_days': ({ caseFile: f, context }) => {
    const { servedOn, paidOn } = f.dates;
    const fine = decisionOf(f)?.amountYuan;
    if (!servedOn || !paidOn || !fine) return [];
    const ctx = deadlineContext(context);
    const due = paymentDeadline(startOf(servedOn, ctx), ctx).lastDay;
    if (paidOn <= due) return [];
    const pending = (f.remedies ?? []).map((r) => ({ kind: r.kind, from: r.filedOn, to: r.concludedOn }));
    const owed = lateFee(fine, due, paidOn, { pending });
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

  // A remedy is sought against the decision made and concludes after it was filed. A decision annulled (撤销) on
  // reconsideration or by the court (行政复议法 2023 Art. 64, 行政诉讼法 Art. 70) no longer stands: nothing is
  // collected on it after the annulment, and the file is not closed on it as if it did — unless a new decision
  // was made since (the body or the court may order the bureau to decide again).
  'consistency.remedy_outcome_followed': ({ caseFile: f }) => {
    const { decidedOn, closedOn } = f.dates;
    const named = (r: CaseRemedy) =>
      `${r.kind === 'lawsuit' ? 'lawsuit' : 'reconsideration'} filed ${r.filedOn}`;
    const remedies = f.remedies ?? [];
    // The file's decision is a new one, made after an annulment: the remedies before it were against the first.
    const decidedAnew = remedies.some(
      (r) => r.outcome === 'annulled' && r.concludedOn && decidedOn && decidedOn > r.concludedOn,
    );
    return remedies.flatMap((r): Fault[] => {
      if (!decidedAnew && decidedOn && r.filedOn < decidedOn)
        return caseFault(`${named(r)} before the decision of ${decidedOn}`);
      if (r.concludedOn && r.concludedOn < r.filedOn)
        return caseFault(`${named(r)} concluded ${r.concludedOn}, before it was filed`);
      if (r.outcome !== 'annulled' || !r.concludedOn) return [];
      if (decidedOn && decidedOn > r.concludedOn) return []; // decided anew after the annulment
      const annulled = `decision annulled on ${named(r)}, ${r.concludedOn}`;
      return [
        ...f.documents
          .filter((d) => d.kind === 'payment_record' && d.dated && d.dated > r.concludedOn! && d.amountYuan)
          .map((d) => ({ documentRef: documentRef(d), detail: `${annulled}: collected ${d.dated}` })),
        ...caseFault(closedOn ? `${annulled}: the file is closed on it (${closedOn})` : null),
      ];
    });
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

  // The decided amount runs through the documents unchanged. The notice may have proposed more (reduced after
  // the defence) but never less: Art. 45 forbids a heavier penalty for defending. The payments add up to the
  // fine plus the late fee of Art. 72 they record, paid at once or in parts.
  'consistency.amount_identical': ({ caseFile: f }) => {
    const decided = decisionOf(f)?.amountYuan;
    if (decided === null || decided === undefined) return [];
    const faults = f.documents.flatMap((d) => {
      const amount = d.amountYuan;
      if (d.kind === 'decision' || d.kind === 'payment_record' || amount === null || amount === undefined)
        return [];
      const fits = d.kind === 'pre_penalty_notice' ? amount >= decided : amount === decided;
      return fits
        ? []
        : [{ documentRef: documentRef(d), detail: `amount ${amount} yuan against ${decided} yuan decided` }];
    });
    const payments = f.documents.filter((d) => d.kind === 'payment_record' && d.amountYuan != null);
    const last = payments.at(-1);
    // A decision changed (变更) on reconsideration or by the court is owed as changed, which the file does not state.
    if (!last || (f.remedies ?? []).some((r) => r.outcome === 'changed')) return faults;
    const fen = (yuan: number | null | undefined) => Math.round((yuan ?? 0) * 100);
    const paidFen = payments.reduce((sum, d) => sum + fen(d.amountYuan), 0);
    const feeFen = Math.max(...payments.map((d) => fen(d.lateFeeYuan)));
    const owedFen = fen(decided) + feeFen;
    if (paidFen !== owedFen) {
      faults.push({
        documentRef: documentRef(last),
        detail: `paid ${paidFen / 100} yuan against ${owedFen / 100} yuan owed (fine ${decided}, late fee ${feeFen / 100})`,
      });
    }
    return faults;
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
    eachCitation(input, ({ code, versions, inForce, on }) =>
      versions.length && !inForce
        ? `${code} (${versions.map((a) => `${a.validFrom}–${a.validTo ?? 'now'}`).join(', ')}) not in force on ${on === input.caseFile.violationDate ? 'the violation date' : 'the date of the document'} ${on}`
        : null,
    ),

  // An article with no violation types is procedural and fits any case; a case of several violations (weight
  // and size) is fitted by an article of any of them.
  'legal_basis.fits_violation_type': (input) => {
    const types = input.caseFile.violationTypes?.length
      ? input.caseFile.violationTypes
      : [input.caseFile.violationType];
    return eachCitation(input, ({ code, inForce: a }) =>
      a && a.violationTypes.length > 0 && !a.violationTypes.some((t) => types.includes(t))
        ? `${code} applies to ${a.violationTypes.join(', ')}, not to ${types.join(', ')}`
        : null,
    );
  },

  'legal_basis.penalty_in_range': (input) =>
    input.caseFile.documents.flatMap((doc) => penaltyRangeFaults(input, doc)),
};
