import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@ecc/platform-nest';
import {
  personalDataIn,
  publicationContent,
  type DecisionFacts,
  type PartyRecord,
  type PublicationContent,
} from '@ecc/publicity-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { Tx } from '@ecc/shared-data';

/** The party a (sub-)case's decision is addressed to, by the case's type (一超四罚: one party per sub-case). */
const PARTY_ROLE: Record<string, readonly string[]> = {
  vehicle: ['owner'],
  vehicle_certificate: ['owner', 'enterprise'],
  driver: ['driver'],
  enterprise: ['enterprise'],
  source_unit: ['source_unit'],
};

/** A person questioned, as the last check reads a party: the name and the number of the document shown. */
function intervieweeRecord(json: unknown): PartyRecord[] {
  const p = json as { name?: unknown; idNumber?: unknown } | null;
  if (!p || typeof p.name !== 'string') return [];
  return [{ kind: 'person', name: p.name, idNumber: typeof p.idNumber === 'string' ? p.idNumber : null }];
}

export interface BuiltPublication {
  facts: DecisionFacts;
  content: PublicationContent;
  /** What the last check found of the persons' data in the content (empty: publishable). */
  leaked: string[];
}

/**
 * The redacted content of a case's decision, built from the records as they are now, and the last check on it.
 * Used when the decision is approved and again when staff publish a held one after correcting the records.
 */
@Injectable()
export class DecisionPublicationBuilder {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async build(tx: Tx, caseId: string): Promise<BuiltPublication | null> {
    const read = await this.decisionFacts(tx, caseId);
    if (!read) return null;
    const content = publicationContent(read.decision, this.config.bureau.timeZone);
    return { facts: read.decision, content, leaked: personalDataIn(content, read.parties) };
  }

  /** The decision's facts as the records hold them, and every party of the case (for the last check). */
  private async decisionFacts(
    tx: Tx,
    caseId: string,
  ): Promise<{ decision: DecisionFacts; parties: PartyRecord[] } | null> {
    const row = await tx.case.findUnique({
      where: { id: caseId },
      select: {
        type: true,
        caseNumber: true,
        violationDate: true,
        decision: { select: { decidedAt: true, penaltyKinds: true, fineAmount: true, basis: true } },
        parties: {
          select: {
            role: true,
            party: { select: { kind: true, name: true, idNumber: true, phone: true, address: true } },
          },
        },
        vehicle: { select: { plate: true } },
        // The persons questioned (询问笔录): their names and document numbers are never published either.
        investigations: { where: { kind: 'inquiry' }, select: { interviewee: true } },
        lead: {
          select: {
            plate: true,
            violationAt: true,
            grossMassKg: true,
            limitKg: true,
            station: { select: { name: true, road: true, stake: true } },
          },
        },
      },
    });
    if (!row?.decision) return null;
    const parties: PartyRecord[] = [
      ...row.parties.map((p) => p.party),
      ...row.investigations.flatMap((r) => intervieweeRecord(r.interviewee)),
    ];
    const roles = PARTY_ROLE[row.type] ?? [];
    // Never an agent (委托代理人): the decision is addressed to the party, not to whoever acts for it.
    const party =
      roles.map((role) => row.parties.find((p) => p.role === role)?.party).find(Boolean) ??
      row.parties.find((p) => p.role !== 'agent')?.party ??
      null;
    const cited = ((row.decision.basis as { code?: string; article?: string }[] | null) ?? []).filter(
      (b): b is { code: string; article: string } => typeof b?.code === 'string',
    );
    const titles = await tx.legalBasis.findMany({
      where: { code: { in: cited.map((b) => b.code) } },
      select: { code: true, title: true },
      orderBy: { validFrom: 'desc' },
    });
    const station = row.lead?.station;
    return {
      parties,
      decision: {
        decisionNumber: row.caseNumber ?? caseId,
        authority: this.config.bureau.name,
        decidedAt: row.decision.decidedAt,
        caseType: row.type,
        party,
        plate: row.lead?.plate ?? row.vehicle?.plate ?? null,
        violationAt: row.lead?.violationAt ?? row.violationDate,
        place: station ? [station.name, station.road, station.stake].filter(Boolean).join(' ') : null,
        grossMassKg: row.lead?.grossMassKg ?? null,
        limitKg: row.lead?.limitKg ?? null,
        provisions: cited.map((b) => ({
          code: b.code,
          title: titles.find((t) => t.code === b.code)?.title ?? null,
          article: b.article ?? '',
        })),
        penaltyKinds: [...row.decision.penaltyKinds],
        fineYuan: row.decision.fineAmount === null ? null : Number(row.decision.fineAmount),
      },
    };
  }
}
