import { Inject, Injectable } from '@nestjs/common';
import {
  SelfRegisteringAfterActionHook,
  CaseAfterActionHooks,
  type CaseAfterActionHook,
} from '@ecc/cases-feature';
import { systemActor } from '@ecc/identity-domain';
import { PoliciesRepository } from '@ecc/legal-data';
import { publicityDeadline } from '@ecc/legal-domain';
import { APP_CONFIG } from '@ecc/platform-nest';
import { PublicationsRepository } from '@ecc/publicity-data';
import {
  DEFAULT_PUBLICITY_POLICY,
  personalDataIn,
  publicationContent,
  publicityPolicySchema,
  publicityVerdict,
  type DecisionFacts,
  type PartyRecord,
  type PublicityPolicy,
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

/**
 * 公示 (行政处罚法 Art. 48): once a penalty decision is approved, its publication is decided and written in the
 * decision's own transaction — a hook of the case actions, so the case workflow needs no knowledge of it. The
 * publicity policy in force says whether the decision is published; a published one goes out at once (well
 * within the period, which is recorded as `dueAt`), with the content redacted. If the last check still finds a
 * person's name, identity number, phone or address in the content, the publication is `held` (not public) for
 * staff to see, rather than failing the decision.
 */
@Injectable()
export class PublishOnDecision extends SelfRegisteringAfterActionHook {
  readonly actions = ['approve_decision'] as const;

  constructor(
    hooks: CaseAfterActionHooks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: PoliciesRepository,
    private readonly publications: PublicationsRepository,
  ) {
    super(hooks);
  }

  async afterAction(
    tx: Tx,
    { caseId, ctx, now }: Parameters<CaseAfterActionHook['afterAction']>[1],
  ): Promise<void> {
    const facts = await this.decisionFacts(tx, caseId);
    if (!facts) return;
    const { timeZone } = this.config.bureau;
    const policy = await this.policy(tx, now);
    const rules = await this.policies.periodRules(now, tx);
    const dueAt = publicityDeadline(facts.decision.decidedAt, { timeZone, ...rules }).due;
    const content = publicationContent(facts.decision, timeZone);
    const verdict = publicityVerdict(
      {
        partyKind: facts.decision.party?.kind ?? 'person',
        penaltyKinds: facts.decision.penaltyKinds,
        fineYuan: facts.decision.fineYuan,
      },
      policy,
    );
    const leaked = verdict.publish ? personalDataIn(content, facts.parties) : [];
    await this.publications.record(
      tx,
      {
        caseId,
        status: !verdict.publish ? 'not_published' : leaked.length ? 'held' : 'published',
        rule: leaked.length ? `${verdict.rule};personal_data_found:${leaked.length}` : verdict.rule,
        policy,
        content,
        decidedAt: facts.decision.decidedAt,
        dueAt,
      },
      { actor: systemActor('publicity'), requestId: ctx.requestId, at: now },
    );
  }

  private async policy(tx: Tx, at: Date): Promise<PublicityPolicy> {
    const stored = await this.policies.current('publicity', at, tx);
    const parsed = stored ? publicityPolicySchema.safeParse(stored.value) : undefined;
    return parsed?.success ? parsed.data : DEFAULT_PUBLICITY_POLICY;
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
    const parties: PartyRecord[] = row.parties.map((p) => p.party);
    const roles = PARTY_ROLE[row.type] ?? [];
    const party =
      roles.map((role) => row.parties.find((p) => p.role === role)?.party).find(Boolean) ??
      row.parties[0]?.party ??
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
