import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudits } from '@ecc/audit-data';
import { systemActor, type TokenRequest, type TokenResponse } from '@ecc/identity-domain';
import { UsersRepository, type UserRecord } from '@ecc/identity-data';
import { PRISMA, TokenService } from '@ecc/platform-nest';
import { PasswordHasher } from './password-hasher';
import { SignInThrottle, type ThrottledKey } from './sign-in-throttle';

export const invalidCredentials = () =>
  new DomainError('unauthenticated', 'invalid_credentials', 'username or password is wrong');

/**
 * Sign-in with a username and password. The throttle is asked first, so a locked username or address learns
 * nothing about the password; a failure counts against both, a success clears the username's count.
 */
@Injectable()
export class IssueTokenUseCase {
  private readonly logger = new Logger(IssueTokenUseCase.name);

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
  ) {}

  async execute(request: TokenRequest, clientAddress: string): Promise<TokenResponse> {
    await this.throttle.check(request.username, clientAddress);
    const user = await this.users.findByUsername(request.username);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, request.password);
    if (!user || !valid || !user.active) {
      this.logger.warn({ username: request.username, clientAddress }, 'token refused');
      const { locked } = await this.throttle.failed(request.username, clientAddress);
      if (locked.length > 0) await this.auditLocks(locked, clientAddress);
      // One answer for unknown user, wrong password and disabled account: nothing to enumerate.
      throw invalidCredentials();
    }
    await this.throttle.succeeded(request.username);
    await this.users.recordSignIn(user.id, new Date());
    return this.tokenFor(user);
  }

  async tokenFor(user: UserRecord): Promise<TokenResponse> {
    const { token, ttl } = await this.tokens.issue(user);
    return {
      accessToken: token,
      tokenType: 'Bearer',
      expiresIn: ttl,
      passwordChangeRequired: user.mustChangePassword,
    };
  }

  private async auditLocks(locked: ThrottledKey[], clientAddress: string): Promise<void> {
    const seconds = this.throttle.lockSeconds;
    this.logger.warn({ locked, clientAddress }, `sign-in locked for ${seconds} s`);
    await this.prisma.$transaction((tx) =>
      recordAudits(
        tx,
        locked.map((key) => ({
          actor: systemActor('sign-in-throttle'),
          action: 'auth.sign_in_locked',
          entityType: key.kind === 'username' ? 'sign_in_username' : 'sign_in_address',
          entityId: key.value,
          changes: { lockSeconds: seconds, clientAddress },
        })),
      ),
    );
  }
}
