import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CommandContext } from '@ecc/platform-nest';
import { PasswordHasher } from './password-hasher';
import { SignInThrottle } from './sign-in-throttle';
import { notOnYourself, UserChange } from './user-change';

/** No 0/O, 1/l/I: read aloud or copied from a screen without mistakes. 20 of 55 symbols: about 115 bits. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function oneTimePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out.replace(/(.{5})(?=.)/g, '$1-');
}

/**
 * An admin's password reset: a one-time password, shown once, that the user must replace at the next sign-in
 * (until then only the password change and sign-out are open). Every token of the user is revoked, and a
 * sign-in lock of the username is lifted.
 */
@Injectable()
export class ResetPasswordUseCase {
  constructor(
    private readonly change: UserChange,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
  ) {}

  async execute(
    userId: string,
    ctx: CommandContext,
  ): Promise<{ oneTimePassword: string; mustChangePassword: true }> {
    if (userId === ctx.actor.id) throw notOnYourself('reset the password of');
    const password = oneTimePassword();
    const passwordHash = await this.hasher.hash(password);
    const username = await this.change.run(userId, ctx, async (tx, user) => {
      await this.change.users.setPassword(tx, user.id, passwordHash, true, new Date());
      return { action: 'user.password_reset', changes: { mustChangePassword: true }, result: user.username };
    });
    await this.throttle.succeeded(username);
    return { oneTimePassword: password, mustChangePassword: true };
  }
}
