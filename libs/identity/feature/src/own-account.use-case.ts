import { Injectable } from '@nestjs/common';
import { validationError } from '@ecc/shared-kernel';
import {
  PASSWORD_PROBLEM_MESSAGES,
  passwordProblem,
  type ChangePasswordInput,
  type TokenResponse,
} from '@ecc/identity-domain';
import type { CommandContext } from '@ecc/platform-nest';
import { invalidCredentials, IssueTokenUseCase } from './issue-token.use-case';
import { PasswordHasher } from './password-hasher';
import { SignInThrottle } from './sign-in-throttle';
import { UserChange } from './user-change';

/**
 * What every user does with their own account: change the password (the current one is asked again, and a
 * wrong one counts as a failed sign-in), which revokes every other token and answers with a new one; and sign
 * out, which revokes every token of the user (all devices: one token version per user).
 */
@Injectable()
export class OwnAccountUseCase {
  constructor(
    private readonly change: UserChange,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly tokens: IssueTokenUseCase,
  ) {}

  async changePassword(
    input: ChangePasswordInput,
    clientAddress: string,
    ctx: CommandContext,
  ): Promise<TokenResponse> {
    const current = await this.change.users.findById(ctx.actor.id);
    if (!current) throw invalidCredentials();
    await this.throttle.check(current.username, clientAddress);
    if (!(await this.hasher.verify(current.passwordHash, input.currentPassword))) {
      await this.throttle.failed(current.username, clientAddress);
      throw validationError('the current password is wrong', [
        { path: 'body.currentPassword', message: 'does not match' },
      ]);
    }
    const problem =
      input.newPassword === input.currentPassword
        ? 'must differ from the current password'
        : (() => {
            const p = passwordProblem(input.newPassword, current.username);
            return p ? PASSWORD_PROBLEM_MESSAGES[p] : null;
          })();
    if (problem) {
      throw validationError('the new password is refused', [{ path: 'body.newPassword', message: problem }]);
    }
    const passwordHash = await this.hasher.hash(input.newPassword);
    const updated = await this.change.run(ctx.actor.id, ctx, async (tx, user) => {
      await this.change.users.setPassword(tx, user.id, passwordHash, false, new Date());
      return {
        action: 'user.password_changed',
        changes: { afterReset: user.mustChangePassword },
        result: { ...user, mustChangePassword: false, tokenVersion: user.tokenVersion + 1 },
      };
    });
    await this.throttle.succeeded(current.username);
    return this.tokens.tokenFor(updated);
  }

  async signOut(ctx: CommandContext): Promise<void> {
    await this.change.run(ctx.actor.id, ctx, async (tx, user) => {
      await this.change.users.revokeTokens(tx, user.id);
      return {
        action: 'user.signed_out',
        changes: { tokenVersion: user.tokenVersion + 1 },
        result: undefined,
      };
    });
  }
}
