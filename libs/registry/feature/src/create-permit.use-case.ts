import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import type { CreatePermitInput, PermitView } from '@ecc/registry-domain';
import { PermitsRepository } from '@ecc/registry-data';
import { PRISMA, type CommandContext } from '@ecc/platform-nest';
import { isUniqueViolation } from './registry-errors';

/** Records an oversize-transport permit (大件运输许可), linked to the registered vehicle when the plate names one. */
@Injectable()
export class CreatePermitUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly permits: PermitsRepository,
  ) {}

  async execute(input: CreatePermitInput, ctx: CommandContext): Promise<PermitView> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (input.permitNo && (await this.permits.permitNoTaken(tx, input.permitNo)))
          throw permitTaken(input.permitNo);
        const vehicleId = await this.permits.vehicleIdFor(tx, input.plate, input.plateColour);
        const permit = await this.permits.create(tx, input, vehicleId);
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'permit.created',
          entityType: 'oversize_permit',
          entityId: permit.id,
          requestId: ctx.requestId,
          changes: { ...input, vehicleId },
        });
        return permit;
      });
    } catch (error) {
      if (isUniqueViolation(error) && input.permitNo) throw permitTaken(input.permitNo);
      throw error;
    }
  }
}

const permitTaken = (permitNo: string) =>
  new DomainError('conflict', 'permit_no_taken', `a permit numbered ${permitNo} is already recorded`);
