import { Inject, Injectable } from '@nestjs/common';
import { DomainError, localDate, validationError, type Clock, type FieldIssue } from '@ecc/shared-kernel';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { recordAudits, type AuditEntry } from '@ecc/audit-data';
import {
  readCsvImport,
  readJsonImport,
  rowPath,
  type ParsedImport,
  type RegistryKind,
  type RegistryRowTypes,
} from '@ecc/registry-domain';
import { RegistryImportRepository, type RowOutcome } from '@ecc/registry-data';
import { APP_CONFIG, CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { isUniqueViolation } from './registry-errors';
import { SourceUnitSiteHooks } from './source-unit-site.hooks';

export type RegistryFile = { format: 'json'; body: unknown } | { format: 'csv'; text: string };

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
}

/** One file is one transaction: a file of thousands of rows may take a while, but is never half-applied. */
const IMPORT_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

/**
 * Imports one file of the vehicle registry (vehicles, enterprises, drivers, cargo source units): every row
 * is checked first and every problem reported at once with its line (CSV) or index (JSON); then the rows
 * are upserted on their natural keys in one transaction, each change audited beside it. Rows that change
 * nothing are counted as unchanged, so importing the same file twice changes nothing the second time.
 */
@Injectable()
export class ImportRegistryUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: RegistryImportRepository,
    private readonly sites: SourceUnitSiteHooks,
  ) {}

  async execute<K extends RegistryKind>(
    kind: K,
    file: RegistryFile,
    ctx: CommandContext,
  ): Promise<ImportSummary> {
    const parsed: ParsedImport<RegistryRowTypes[K]> =
      file.format === 'csv' ? readCsvImport(kind, file.text) : readJsonImport(kind, file.body);
    if (parsed.errors.length) throw invalidFile(parsed.errors);

    const sitesSet: string[] = [];
    let summary: ImportSummary;
    try {
      summary = await this.prisma.$transaction(async (tx) => {
        const values = parsed.rows.map((r) => r.value);
        const outcomes = await this.upsert(tx, kind, values);
        const refused: FieldIssue[] = [];
        outcomes.forEach((o, i) => {
          if (o.status === 'refused')
            refused.push({ path: rowPath(parsed.rows[i]!.locator, o.field), message: o.message });
        });
        // Throwing rolls the transaction back: nothing of the file is applied.
        if (refused.length) throw invalidFile(refused);

        const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0 };
        const audits: AuditEntry[] = [];
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.status === 'refused') continue;
          summary[outcome.status] += 1;
          if (outcome.status === 'unchanged') continue;
          const row = values[i] as { siteDivisionCode?: string | null };
          if (outcome.entityType === 'cargo_source_unit' && row.siteDivisionCode)
            sitesSet.push(outcome.entityId);
          audits.push({
            actor: ctx.actor,
            action: `${outcome.entityType}.${outcome.status}`,
            entityType: outcome.entityType,
            entityId: outcome.entityId,
            requestId: ctx.requestId,
            changes: { ...outcome.changes, source: { import: kind, row: rowPath(parsed.rows[i]!.locator) } },
          });
        }
        await recordAudits(tx, audits);
        return summary;
      }, IMPORT_TRANSACTION);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(
          'conflict',
          'registry_import_conflict',
          'another request changed the same records at the same time; nothing of this file was applied, send it again',
        );
      throw error;
    }
    // Once committed: the trips that waited for these sites are planned again (一超四罚, 行政处罚法 Art. 22).
    await this.sites.sitesSet(sitesSet, ctx);
    return summary;
  }

  private upsert(tx: Tx, kind: RegistryKind, rows: RegistryRowTypes[RegistryKind][]): Promise<RowOutcome[]> {
    switch (kind) {
      case 'vehicles':
        return this.registry.upsertVehicles(tx, rows as RegistryRowTypes['vehicles'][]);
      case 'enterprises':
        return this.registry.upsertEnterprises(
          tx,
          rows as RegistryRowTypes['enterprises'][],
          localDate(this.clock.now(), this.config.bureau.timeZone),
        );
      case 'drivers':
        return this.registry.upsertDrivers(tx, rows as RegistryRowTypes['drivers'][]);
      case 'source-units':
        return this.registry.upsertSourceUnits(tx, rows as RegistryRowTypes['source-units'][]);
    }
  }
}

const invalidFile = (errors: FieldIssue[]) =>
  validationError(
    `${errors.length} problem${errors.length === 1 ? '' : 's'} in the file; nothing of it was applied`,
    errors,
    'registry_import_invalid',
  );
