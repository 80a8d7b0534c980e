import { Module } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { UsersRepository } from '@ecc/identity-data';
import { PRISMA } from '@ecc/platform-nest';
import { AuthController } from './auth.controller';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { CreateUserUseCase } from './create-user.use-case';
import { IssueTokenUseCase } from './issue-token.use-case';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';

@Module({
  controllers: [AuthController, UsersController],
  providers: [
    { provide: UsersRepository, useFactory: (db: PrismaClient) => new UsersRepository(db), inject: [PRISMA] },
    PasswordHasher,
    IssueTokenUseCase,
    CreateUserUseCase,
    BootstrapAdminService,
  ],
  exports: [UsersRepository],
})
export class IdentityModule {}
