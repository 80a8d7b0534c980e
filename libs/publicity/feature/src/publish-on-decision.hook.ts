import { Inject, Injectable } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
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
import { publicityVerdict } from '@ecc/publicity-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { Tx } from '@ecc/shared-data';
import { DecisionPublicationBuilder } from './decision-publication.builder';
import { DecisionPublicityVerdict } from './decision-publicity-verdict';

/**
 * 公示 (行政处罚法 Art. 48): once a penalty decision is approved, its publication is decided and written in the
 * decision's own transaction — a hook of the case actions, so the case workflow needs no knowledge of it. The
 * publicity policy in force says whether the decision is published; a published one goes out at once (well
 * within the period, which is recorded as `dueAt`), with the content redacted. If the last check still finds a
 * person's name, identity number, phone or address in the content, the publication is `held` (not public) and
 * the case's officers and the deciding approver are alerted, rather than failing the decision.
 */
@Injectable()
export class PublishOnDecision extends SelfRegisteringAfterActionHook {
  readonly actions = ['approve_decision'] as const;

  constructor(
    hooks: CaseAfterActionHooks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: PoliciesRepository,
    private readonly publications: PublicationsRepository,
    private readonly builder: DecisionPublicationBuilder,
    private readonly alerts: StaffAlertsRepository,
    private readonly verdicts: DecisionPublicityVerdict,
  ) {
    super(hooks);
  }

  async afterAction(
    tx: Tx,
    { caseId, ctx, now }: Parameters<CaseAfterActionHook['afterAction']>[1],
  ): Promise<void> {
    const built = await this.builder.build(tx, caseId);
    if (!built) return;
    const { facts, content, leaked } = built;
    const policy = await this.verdicts.policy(tx, now);
    const rules = await this.policies.periodRules(now, tx);
    const dueAt = publicityDeadline(facts.decidedAt, { timeZone: this.config.bureau.timeZone, ...rules }).due;
    const verdict = publicityVerdict(
      {
        partyKind: facts.party?.kind ?? 'person',
        penaltyKinds: facts.penaltyKinds,
        fineYuan: facts.fineYuan,
      },
      policy,
    );
    const held = verdict.publish && leaked.length > 0;
    await this.publications.record(
      tx,
      {
        caseId,
        status: !verdict.publish ? 'not_published' : held ? 'held' : 'published',
        rule: held ? `${verdict.rule};personal_data_found:${leaked.length}` : verdict.rule,
        policy,
        content,
        decidedAt: facts.decidedAt,
        dueAt,
      },
      { actor: systemActor('publicity'), requestId: ctx.requestId, at: now },
    );
    if (held) {
      const officers = await tx.caseOfficer.findMany({ where: { caseId }, select: { userId: true } });
      await this.alerts.raise(tx, {
        userIds: [...officers.map((o) => o.userId), ...(ctx.actor.kind === 'user' ? [ctx.actor.id] : [])],
        kind: 'publication_held',
        message:
          `处罚决定 ${facts.decisionNumber} 的公示内容中发现当事人个人信息，未公示：请核对当事人信息后重新公示` +
          '（行政处罚法第四十八条）',
        caseId,
        at: now,
      });
    }
  }
}
