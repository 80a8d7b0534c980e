import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import type { CreateUserInput, UserView } from '@ecc/identity-domain';
import { toUserView, UsersRepository } from '@ecc/identity-data';
import { PRISMA, type CommandContext } from '@ecc/platform-nest';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class CreateUserUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(input: CreateUserInput, ctx: CommandContext): Promise<UserView> {
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (await this.users.usernameTaken(tx, input.username)) throw usernameTaken(input.username);
        const user = await this.users.create(tx, { ...input, passwordHash });
        const { password: _password, ...recorded } = input;
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'user.created',
          entityType: 'user',
          entityId: user.id,
          requestId: ctx.requestId,
          changes: recorded,
        });
        return toUserView(user);
      });
    } catch (error) {
      // Two concurrent requests for one username: the unique index decides, the loser gets the same 409.
      if ((error as { code?: string }).code === 'P2002') throw usernameTaken(input.username);
      throw error;
    }
  }
}

const usernameTaken = (username: string) =>
  new DomainError('conflict', 'username_taken', `the username ${username} is already taken`);
