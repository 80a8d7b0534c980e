import { Injectable, Module } from '@nestjs/common';
import type { CommandContext } from '@ecc/platform-nest';

/** What follows once the registry records where source units load (their site's division). */
export interface SourceUnitSiteListener {
  /** `unitIds`: the cargo source units (registry ids) whose site was set or changed, after the import committed. */
  sitesSet(unitIds: string[], ctx: CommandContext): Promise<void>;
}

/**
 * The listeners of a source unit's site, registered by the contexts above the registry (一超四罚 re-plans the
 * trips that waited for it: 行政处罚法 Art. 22 makes the county where the unit loaded competent).
 */
@Injectable()
export class SourceUnitSiteHooks {
  private readonly listeners: SourceUnitSiteListener[] = [];

  register(listener: SourceUnitSiteListener): void {
    this.listeners.push(listener);
  }

  async sitesSet(unitIds: string[], ctx: CommandContext): Promise<void> {
    if (!unitIds.length) return;
    for (const listener of this.listeners) await listener.sitesSet(unitIds, ctx);
  }
}

/** One instance of the hooks for the registry and its listeners (imported by both, no controllers). */
@Module({ providers: [SourceUnitSiteHooks], exports: [SourceUnitSiteHooks] })
export class RegistryHooksModule {}
