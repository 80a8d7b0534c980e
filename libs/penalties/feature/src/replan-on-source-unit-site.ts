import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SourceUnitSiteHooks, type SourceUnitSiteListener } from '@ecc/registry-feature';
import { FourPenaltiesRepository } from '@ecc/penalties-data';
import type { CommandContext } from '@ecc/platform-nest';
import { PlanFourPenaltiesUseCase } from './plan-four-penalties.use-case';

/**
 * A source unit answers where it loaded (行政处罚法 Art. 22; 湖南条例 Art. 30): its trips planned while the registry
 * did not know its site wait (`awaiting_registration`). Once a registry import sets the site, each waiting trip
 * is planned again, in its own transaction: the unit is ordered here, or referred to the authority there. A
 * trip that cannot be planned now is logged and left waiting; `POST /cases/{id}/four-penalties/plan` re-plans it.
 */
@Injectable()
export class ReplanOnSourceUnitSite implements SourceUnitSiteListener, OnModuleInit {
  private readonly log = new Logger(ReplanOnSourceUnitSite.name);

  constructor(
    private readonly hooks: SourceUnitSiteHooks,
    private readonly repo: FourPenaltiesRepository,
    private readonly planning: PlanFourPenaltiesUseCase,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async sitesSet(unitIds: string[], ctx: CommandContext): Promise<void> {
    for (const caseId of await this.repo.tripsAwaitingSourceUnitSite(unitIds)) {
      try {
        await this.planning.replan(caseId, ctx);
      } catch (error) {
        this.log.warn({ caseId, error: (error as Error).message }, 'waiting trip not re-planned');
      }
    }
  }
}
