import { Injectable } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { AccountReason, UserView } from '@ecc/identity-domain';
import { toUserView } from '@ecc/identity-data';
import type { CommandContext } from '@ecc/platform-nest';
import { notOnYourself, UserChange } from './user-change';

/**
 * Disabling ends the account at once: its tokens are refused on the next request of any API (within
 * AUTH_SESSION_CACHE_MS) and its live streams close. Enabling lets it sign in again (old tokens stay revoked).
 */
@Injectable()
export class SetUserActiveUseCase {
  constructor(private readonly change: UserChange) {}

  disable(userId: string, input: AccountReason, ctx: CommandContext): Promise<UserView> {
    if (userId === ctx.actor.id) throw notOnYourself('disable');
    return this.change.run(userId, ctx, async (tx, user) => {
      if (!user.active)
        throw new DomainError('conflict', 'user_already_disabled', 'the user is already disabled');
      await this.change.keepAnAdmin(tx, user);
      await this.change.users.setActive(tx, user.id, false);
      return {
        action: 'user.disabled',
        changes: { reason: input.reason },
        result: toUserView({ ...user, active: false }),
      };
    });
  }

  enable(userId: string, input: AccountReason, ctx: CommandContext): Promise<UserView> {
    return this.change.run(userId, ctx, async (tx, user) => {
      if (user.active) throw new DomainError('conflict', 'user_already_active', 'the user is already active');
      await this.change.users.setActive(tx, user.id, true);
      return {
        action: 'user.enabled',
        changes: { reason: input.reason },
        result: toUserView({ ...user, active: true }),
      };
    });
  }
}
