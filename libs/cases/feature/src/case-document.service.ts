import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '@ecc/platform-nest';
import { CaseDocumentsRepository, type LoadedCase } from '@ecc/cases-data';
import type { CaseSnapshot } from '@ecc/cases-domain';
import { LegalBasisRepository } from '@ecc/legal-data';
import { localDate } from '@ecc/shared-kernel';
import type { DocumentKind, PrismaClient, Tx } from '@ecc/shared-data';
import type { AppliedScope, DocumentScope } from './actions/action-effects';
import type { CaseEnvironment } from './case-environment';
import { renderCaseDocument, type CitedBasis, type DocumentFacts } from './case-document-templates';

const EVIDENCE_NAMES: Record<string, string> = {
  plate_front: '车辆前号牌照片',
  plate_rear: '车辆后号牌照片',
  side: '车辆侧面（显示轴数）照片',
  video: '过车视频',
  other: '其他检测资料',
};
const INVESTIGATION_NAMES: Record<string, string> = {
  inquiry: '询问笔录',
  document_check: '证件核查记录（行驶证、道路运输证、从业资格证）',
  site_inspection: '现场检查（勘验）笔录',
  other: '其他调查取证材料',
};

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
      select: { violationDate: true, lead: { select: { proposedBasis: true, violationAt: true } } },
    });
    if (!row) return [];
    return this.basis(
      row.lead?.proposedBasis,
      localDate(row.lead?.violationAt ?? row.violationDate, env.timeZone),
    );
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
    const owner = row.parties.find((p) => p.role === 'owner')?.party ?? null;
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
      party: owner
        ? {
            name: owner.name,
            kind: owner.kind,
            idNumber: owner.idNumber,
            address: owner.address,
            phone: owner.phone,
          }
        : null,
      enterprise: enterprise?.name ?? null,
      driver: driver
        ? {
            name: driver.name,
            idNumber: driver.idNumber,
            qualificationNo: driver.driver?.qualificationCertificateNo ?? null,
          }
        : null,
      sourceUnit: sourceUnit ? { name: sourceUnit.name, loadingSlipNo: row.loadingSlipNo } : null,
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
        `不停车检测数据（检测点 ${lead?.station.code ?? '—'}，车货总质量 ${lead?.grossMassKg ?? '—'} 千克）`,
        ...evidence.map((e) => `${EVIDENCE_NAMES[e.kind] ?? e.kind}（SHA-256 ${e.sha256.slice(0, 16)}…）`),
        ...investigations.map(
          (i) =>
            `${INVESTIGATION_NAMES[i.kind] ?? i.kind}（${localDate(i.conductedAt, env.timeZone)}）：${i.summary}`,
        ),
      ],
      investigations: investigations.map((i) => ({ kind: i.kind, at: i.conductedAt, summary: i.summary })),
      basis,
      snapshot,
    };
  }

  /** The provisions cited by the lead's proposal, as the catalogue had them on the violation date. */
  private async basis(proposed: unknown, violationDay: string): Promise<CitedBasis[]> {
    const codes = new Set(
      ((proposed as { basis?: { code?: string }[] } | null)?.basis ?? [])
        .map((b) => b.code)
        .filter((c): c is string => typeof c === 'string'),
    );
    const inForce = await this.legalBases.list({ inForceOn: violationDay });
    return inForce
      .filter((b) => codes.has(b.code))
      .map((b) => ({ title: b.title, article: b.article, text: b.text }));
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
