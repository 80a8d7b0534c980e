import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { PRISMA, type CommandContext } from '@ecc/platform-nest';
import { SignInThrottle, type ThrottledKey } from './sign-in-throttle';

/** An admin lifts the sign-in throttle of a username or a client address (audited, with what it cleared). */
@Injectable()
export class UnlockSignInUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly throttle: SignInThrottle,
  ) {}

  async execute(key: ThrottledKey, ctx: CommandContext) {
    const cleared = await this.throttle.clear(key);
    const entityId = key.kind === 'username' ? key.value.toLowerCase() : key.value;
    await this.prisma.$transaction((tx) =>
      recordAudit(tx, {
        actor: ctx.actor,
        action: 'auth.sign_in_unlocked',
        entityType: key.kind === 'username' ? 'sign_in_username' : 'sign_in_address',
        entityId,
        requestId: ctx.requestId,
        changes: cleared,
      }),
    );
    return { [key.kind]: entityId, ...cleared };
  }
}
