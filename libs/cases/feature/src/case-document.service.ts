import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '@ecc/platform-nest';
import { CaseDocumentsRepository, type LoadedCase } from '@ecc/cases-data';
import { CASE_PARTY_ROLE, type CaseSnapshot } from '@ecc/cases-domain';
import { LegalBasisRepository } from '@ecc/legal-data';
import { citationText, type LegalRef } from '@ecc/legal-domain';
import { localDate } from '@ecc/shared-kernel';
import type { DocumentKind, EvidenceKind, InvestigationKind, PrismaClient, Tx } from '@ecc/shared-data';
import type { LegalBasisRecord } from '@ecc/legal-data';
import type { AppliedScope, DocumentScope } from './actions/action-effects';
import type { CaseEnvironment } from './case-environment';
import { renderCaseDocument, type CitedBasis, type DocumentFacts } from './case-document-templates';

/** The evidence kinds as the documents print them (never the stored code). */
export const EVIDENCE_NAMES: Record<EvidenceKind, string> = {
  plate_front: '车头号牌照片',
  plate_rear: '车尾号牌照片',
  side: '车身侧面照片（显示轴数）',
  video: '过车视频',
  document_scan: '证件扫描件',
  other: '其他检测资料',
};
const INVESTIGATION_NAMES: Record<InvestigationKind, string> = {
  inquiry: '询问笔录',
  document_check: '证件核查记录（行驶证、道路运输证、从业资格证）',
  site_inspection: '现场检查（勘验）笔录',
  other: '其他调查取证材料',
};

/** The party of a case: the owner of a vehicle case, the party of a sub-case in its own role. */
export const casePartyOf = (row: LoadedCase['row']) =>
  row.parties.find((p) => p.role === CASE_PARTY_ROLE[row.type])?.party ??
  row.parties.find((p) => p.role !== 'agent')?.party ??
  null;

const codesOf = (list: unknown): string[] =>
  (Array.isArray(list) ? (list as { code?: unknown }[]) : [])
    .map((b) => b?.code)
    .filter((c): c is string => typeof c === 'string');

/** The codes a lead's proposal cites (`{ basis: [{ code }] }`). */
const basisCodes = (proposed: unknown): string[] => codesOf((proposed as { basis?: unknown } | null)?.basis);

/** The codes a sub-case's stored plan cites: its penalty's basis and, for an order to correct, the order's. */
const planBasisCodes = (stored: unknown): string[] => {
  const plan = (stored as { plan?: { basis?: unknown; correction?: { basis?: unknown } } } | null)?.plan;
  return [...codesOf(plan?.basis), ...codesOf(plan?.correction?.basis)];
};

/**
 * The codes a case cites — one function for its documents and its decision row: a vehicle case what its lead
 * proposed; a sub-case (一超四罚) has no lead and cites the basis of its own penalty, as its plan stored it, and
 * the penalty's legal-basis code.
 */
export function caseCitedCodes(source: {
  lead: { proposedBasis: unknown } | null;
  penalties: readonly { counts: unknown; legalBasisCode: string | null }[];
}): string[] {
  const codes = source.lead
    ? basisCodes(source.lead.proposedBasis)
    : source.penalties.flatMap((p) => [
        ...planBasisCodes(p.counts),
        ...(p.legalBasisCode ? [p.legalBasisCode] : []),
      ]);
  return [...new Set(codes)];
}

/**
 * The provisions a decision row stores as its 执法依据 (行政处罚法 Art. 59(3); published with it, Art. 48): the
 * codes the case cites, each with its citation as the catalogue in force on the violation date gives it (what
 * the decision document prints). A code the catalogue does not have in force is not stored (the document
 * prints none either).
 */
export function decisionBasisRefs(codes: readonly string[], cited: readonly CitedBasis[]): LegalRef[] {
  return codes.flatMap((code) => {
    const b = cited.find((c) => c.code === code);
    return b ? [{ code, article: citationText(b) }] : [];
  });
}

/**
 * The provisions a case cites, as the catalogue had them on the violation date, each with its role: the
 * penalty provisions (处罚依据) and the provisions violated (违反的规定, 行政处罚法 Art. 59(2)) — the definitions
 * cited, and those the catalogue gives for the violation types of the penalty provisions.
 */
export function citedBasis(codes: ReadonlySet<string>, inForce: readonly LegalBasisRecord[]): CitedBasis[] {
  const cited = inForce.filter((b) => codes.has(b.code));
  const types = new Set(cited.filter((b) => b.role === 'penalty').flatMap((b) => b.violationTypes));
  const definitions = inForce.filter(
    (b) => b.role === 'definition' && !codes.has(b.code) && b.violationTypes.some((t) => types.has(t)),
  );
  return [...cited, ...definitions].map((b) => ({
    code: b.code,
    role: b.role,
    title: b.title,
    article: b.article,
    text: b.text,
  }));
}

export interface GeneratedDocument {
  id: string;
  kind: DocumentKind;
  version: number;
  createdAt: Date;
}

/**
 * Generates the documents of a case from their templates (案卷文书): the facts come from the case's rows,
 * the lead, the registry and the legal-basis catalogue in force on the violation date.
 */
@Injectable()
export class CaseDocumentService {
  constructor(
    private readonly documents: CaseDocumentsRepository,
    private readonly legalBases: LegalBasisRepository,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  /**
   * The catalogue provisions a case's documents cite, read before the case's transaction: the catalogue
   * is read through its own connection, which a transaction holding row locks must not wait for.
   */
  async basisOf(caseId: string, env: CaseEnvironment): Promise<CitedBasis[]> {
    const row = await this.prisma.case.findUnique({
      where: { id: caseId },
      select: {
        violationDate: true,
        lead: { select: { proposedBasis: true, violationAt: true } },
        penalties: { select: { counts: true, legalBasisCode: true } },
      },
    });
    if (!row) return [];
    const codes = caseCitedCodes(row);
    // The violation date is the legal day of the act (stored as a date), not the lead's instant.
    const day = row.lead
      ? localDate(row.lead.violationAt, env.timeZone)
      : row.violationDate.toISOString().slice(0, 10);
    return citedBasis(new Set(codes), await this.legalBases.list({ inForceOn: day }));
  }

  async facts(
    tx: Tx,
    loaded: LoadedCase,
    snapshot: CaseSnapshot,
    env: CaseEnvironment,
    now: Date,
    basis: CitedBasis[],
  ): Promise<DocumentFacts> {
    const { row } = loaded;
    const lead = row.lead;
    const party = casePartyOf(row);
    const enterprise = row.parties.find((p) => p.role === 'enterprise')?.party ?? null;
    const driver = row.parties.find((p) => p.role === 'driver')?.party ?? null;
    const sourceUnit = row.parties.find((p) => p.role === 'source_unit')?.party ?? null;
    const users = await tx.user.findMany({
      where: { id: { in: snapshot.officers.map((o) => o.userId) } },
      select: { id: true, displayName: true },
    });
    const investigations = await tx.investigationRecord.findMany({
      where: { caseId: row.id },
      orderBy: { conductedAt: 'asc' },
    });
    const evidence = lead
      ? await tx.evidenceObject.findMany({
          where: { detection: { leadLink: { leadId: lead.id } } },
          select: { kind: true, sha256: true },
          orderBy: { createdAt: 'asc' },
        })
      : [];
    return {
      caseNumber: snapshot.caseNumber ?? row.caseNumber ?? `（未立案 ${row.id.slice(0, 8)}）`,
      authority: env.authority,
      timeZone: env.timeZone,
      now,
      party: party
        ? {
            name: party.name,
            kind: party.kind,
            idNumber: party.idNumber,
            address: party.address,
            phone: party.phone,
          }
        : null,
      enterprise: enterprise?.name ?? null,
      driver: driver
        ? {
            name: driver.name,
            idNumber: driver.idNumber,
            qualificationNo: driver.driver?.qualificationCertificateNo ?? null,
            employer: row.driverEmployer,
          }
        : null,
      sourceUnit: sourceUnit ? { name: sourceUnit.name, loadingSlipNo: row.loadingSlipNo } : null,
      parent: row.parentCaseId ? await this.parentOf(tx, row.parentCaseId) : null,
      plate: lead?.plate ?? row.vehicle?.plate ?? '—',
      vehicleType: row.vehicle?.vehicleType ?? null,
      transportCertificateNo: row.vehicle?.transportCertificateNo ?? null,
      homeAuthority: row.vehicle?.homeAuthority ?? row.vehicle?.enterprise?.homeAuthority ?? null,
      violationAt: lead?.violationAt ?? row.violationDate,
      place: lead
        ? [lead.station.name, lead.station.road, lead.station.stake].filter(Boolean).join(' ')
        : '—',
      grossMassKg: lead?.grossMassKg ?? 0,
      limitKg: lead?.limitKg ?? 0,
      toleranceKg: lead?.toleranceKg ?? 0,
      excessKg: lead?.excessKg ?? 0,
      axleCount: lead?.axleCount ?? 0,
      facts: row.facts ?? '',
      officers: snapshot.officers.map((o) => ({
        name: users.find((u) => u.id === o.userId)?.displayName ?? o.userId,
        certificateNo: o.enforcementCertificateNo,
      })),
      evidence: [
        ...(lead
          ? [`不停车检测数据（检测点 ${lead.station.code}，车货总质量 ${lead.grossMassKg} 千克）`]
          : await this.subCaseEvidence(tx, row.id, row.parentCaseId)),
        ...evidence.map((e) => `${EVIDENCE_NAMES[e.kind]}（SHA-256 ${e.sha256.slice(0, 16)}…）`),
        ...investigations.map(
          (i) => `${INVESTIGATION_NAMES[i.kind]}（${localDate(i.conductedAt, env.timeZone)}）：${i.summary}`,
        ),
      ],
      investigations: investigations.map((i) => ({ kind: i.kind, at: i.conductedAt, summary: i.summary })),
      basis,
      remedies: env.policy.remedies,
      performance: env.policy.performance,
      snapshot,
    };
  }

  /** The case a sub-case arose from: its number and its trip's plate. */
  private async parentOf(tx: Tx, id: string): Promise<DocumentFacts['parent']> {
    const parent = await tx.case.findUnique({
      where: { id },
      select: { caseNumber: true, lead: { select: { plate: true } }, vehicle: { select: { plate: true } } },
    });
    return parent
      ? { caseNumber: parent.caseNumber, plate: parent.lead?.plate ?? parent.vehicle?.plate ?? null }
      : null;
  }

  /**
   * A sub-case (一超四罚) rests on the trip of its parent case and, for a count (Art. 66), on the decided trips
   * counted: each cited by its case number.
   */
  private async subCaseEvidence(tx: Tx, caseId: string, parentCaseId: string | null): Promise<string[]> {
    const penalties = await tx.penalty.findMany({ where: { caseId }, select: { counts: true } });
    const counted = penalties.flatMap((p) => {
      const ids = (p.counts as { plan?: { counts?: { caseIds?: unknown } | null } } | null)?.plan?.counts
        ?.caseIds;
      return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
    });
    const ids = [...new Set([...(parentCaseId ? [parentCaseId] : []), ...counted])];
    if (ids.length === 0) return [];
    const rows = await tx.case.findMany({
      where: { id: { in: ids } },
      select: { id: true, caseNumber: true, violationDate: true },
      orderBy: { violationDate: 'asc' },
    });
    return rows.map(
      (r) =>
        `${r.id === parentCaseId ? '本次' : '一年内已决定的'}违法超限运输案件 ${r.caseNumber ?? r.id.slice(0, 8)}` +
        `（违法日期 ${r.violationDate.toISOString().slice(0, 10)}）的案卷材料`,
    );
  }

  /** A new document (first version) or, with `versionOf`, the next version of that document. */
  async generate(
    tx: Tx,
    input: {
      caseId: string;
      kind: DocumentKind;
      facts: DocumentFacts;
      extra?: Record<string, string>;
      authorId: string | null;
      at: Date;
      id?: string;
      versionOf?: string;
    },
  ): Promise<GeneratedDocument> {
    const content = renderCaseDocument(input.kind, input.facts, input.extra);
    if (input.versionOf) {
      const v = await this.documents.addVersion(tx, input.versionOf, content, input.authorId, input.at);
      return { id: v.id, kind: input.kind, version: v.version, createdAt: input.at };
    }
    const created = await this.documents.create(tx, {
      id: input.id ?? randomUUID(),
      caseId: input.caseId,
      kind: input.kind,
      numberPrefix: input.facts.caseNumber,
      content,
      authorId: input.authorId,
      at: input.at,
    });
    return { id: created.id, kind: input.kind, version: 1, createdAt: input.at };
  }

  /** What an action's documents are made with: their templates, the case's facts read once, `generated` filled. */
  scope(c: AppliedScope, basis: CitedBasis[], generated: GeneratedDocument[]): DocumentScope {
    let facts: DocumentFacts | undefined;
    return {
      ...c,
      make: async (kind, extra = {}, target = {}) => {
        facts ??= await this.facts(c.tx, c.loaded, c.next, c.env, c.now, basis);
        const doc = await this.generate(c.tx, {
          caseId: c.caseId,
          kind,
          facts,
          extra,
          authorId: c.actorId,
          at: c.now,
          ...target,
        });
        generated.push(doc);
        return doc;
      },
      latest: (kind) => c.loaded.row.documents.filter((d) => d.kind === kind).at(-1),
      refreshFacts: () => {
        facts = undefined;
      },
    };
  }
}
