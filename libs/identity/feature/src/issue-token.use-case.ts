import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { TokenRequest } from '@ecc/identity-domain';
import { UsersRepository } from '@ecc/identity-data';
import { TokenService } from '@ecc/platform-nest';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class IssueTokenUseCase {
  private readonly logger = new Logger(IssueTokenUseCase.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async execute(
    request: TokenRequest,
  ): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    const user = await this.users.findByUsername(request.username);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, request.password);
    if (!user || !valid || !user.active) {
      this.logger.warn({ username: request.username }, 'token refused');
      // One answer for unknown user, wrong password and disabled account: nothing to enumerate.
      throw new DomainError('unauthenticated', 'invalid_credentials', 'username or password is wrong');
    }
    const { token, ttl } = await this.tokens.issue(user);
    return { accessToken: token, tokenType: 'Bearer', expiresIn: ttl };
  }
}
