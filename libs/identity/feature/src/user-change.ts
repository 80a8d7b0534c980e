import { Inject, Injectable } from '@nestjs/common';
import { DomainError, notFound } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { UsersRepository, type UserRecord } from '@ecc/identity-data';
import { PRISMA, UserSessions, type CommandContext } from '@ecc/platform-nest';

export interface UserChangeOutcome<T> {
  /** `user.<verb>` */
  action: string;
  changes: unknown;
  result: T;
}

/**
 * How every change of a user runs: the user locked in one transaction with its audit event, and the cached
 * session state of this API dropped after the commit (other instances see it within AUTH_SESSION_CACHE_MS).
 */
@Injectable()
export class UserChange {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    readonly users: UsersRepository,
    private readonly sessions: UserSessions,
  ) {}

  async run<T>(
    userId: string,
    ctx: CommandContext,
    change: (tx: Tx, user: UserRecord) => Promise<UserChangeOutcome<T>>,
  ): Promise<T> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await this.users.lock(tx, userId);
        if (!user) throw notFound('user', userId);
        const outcome = await change(tx, user);
        await recordAudit(tx, {
          actor: ctx.actor,
          action: outcome.action,
          entityType: 'user',
          entityId: userId,
          requestId: ctx.requestId,
          changes: outcome.changes,
        });
        return outcome.result;
      });
    } catch (error) {
      // A certificate number or single sign-on subject already held by another user.
      if ((error as { code?: string }).code === 'P2002') {
        throw new DomainError(
          'conflict',
          'user_field_taken',
          `another user already has this ${String((error as { meta?: { target?: unknown } }).meta?.target ?? 'value')}`,
        );
      }
      throw error;
    } finally {
      this.sessions.forget(userId);
    }
  }

  /** Refuses a change that would leave no active admin (nobody could administer the system any more). */
  async keepAnAdmin(tx: Tx, user: UserRecord): Promise<void> {
    if (!user.active || !user.roles.includes('admin')) return;
    if ((await this.users.otherActiveAdmins(tx, user.id)) === 0) {
      throw new DomainError('conflict', 'last_admin', 'this is the last active admin: appoint another first');
    }
  }
}

export const notOnYourself = (what: string) =>
  new DomainError('forbidden', 'not_on_own_account', `an admin cannot ${what} their own account`);
