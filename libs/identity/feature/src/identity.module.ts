import { Module } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { UsersRepository } from '@ecc/identity-data';
import { PRISMA } from '@ecc/platform-nest';
import { AuthController } from './auth.controller';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { CreateUserUseCase } from './create-user.use-case';
import { IssueTokenUseCase } from './issue-token.use-case';
import { OidcController } from './oidc.controller';
import { OidcSignIn } from './oidc-sign-in';
import { OwnAccountUseCase } from './own-account.use-case';
import { PasswordHasher } from './password-hasher';
import { ResetPasswordUseCase } from './reset-password.use-case';
import { SetUserActiveUseCase } from './set-user-active.use-case';
import { SignInThrottle } from './sign-in-throttle';
import { UnlockSignInUseCase } from './unlock-sign-in.use-case';
import { UpdateUserUseCase } from './update-user.use-case';
import { UserChange } from './user-change';
import { UsersController } from './users.controller';

@Module({
  controllers: [AuthController, OidcController, UsersController],
  providers: [
    { provide: UsersRepository, useFactory: (db: PrismaClient) => new UsersRepository(db), inject: [PRISMA] },
    PasswordHasher,
    SignInThrottle,
    IssueTokenUseCase,
    CreateUserUseCase,
    UserChange,
    UpdateUserUseCase,
    SetUserActiveUseCase,
    ResetPasswordUseCase,
    OwnAccountUseCase,
    UnlockSignInUseCase,
    OidcSignIn,
    BootstrapAdminService,
  ],
  exports: [UsersRepository],
})
export class IdentityModule {}
