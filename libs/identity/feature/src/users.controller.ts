import { Controller, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '@ecc/shared-kernel';
import {
  accountReasonSchema,
  changePasswordSchema,
  createUserSchema,
  passwordResetSchema,
  STAFF_ROLES,
  tokenResponseSchema,
  updateUserSchema,
  userViewSchema,
  type AccountReason,
  type ChangePasswordInput,
  type CreateUserInput,
  type UpdateUserInput,
} from '@ecc/identity-domain';
import { toUserView, UsersRepository } from '@ecc/identity-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  NoPersonalData,
  PasswordChangeExempt,
  PersonalData,
  Roles,
  ZodBody,
  ZodParam,
  type CommandContext,
} from '@ecc/platform-nest';
import { CreateUserUseCase } from './create-user.use-case';
import { OwnAccountUseCase } from './own-account.use-case';
import { ResetPasswordUseCase } from './reset-password.use-case';
import { SetUserActiveUseCase } from './set-user-active.use-case';
import { UpdateUserUseCase } from './update-user.use-case';

const userId = z.string().uuid();

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly createUser: CreateUserUseCase,
    private readonly updateUser: UpdateUserUseCase,
    private readonly setActive: SetUserActiveUseCase,
    private readonly resetPassword: ResetPasswordUseCase,
    private readonly ownAccount: OwnAccountUseCase,
    private readonly users: UsersRepository,
  ) {}

  @Post()
  @ApiProblems({ 409: '`username_taken`' })
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user with one or more roles (admin)' })
  @ApiZodResponse(201, userViewSchema)
  create(@ZodBody(createUserSchema) body: CreateUserInput, @Ctx() ctx: CommandContext) {
    return this.createUser.execute(body, ctx);
  }

  @Get()
  @PersonalData('user')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'List users (admin, auditor)' })
  @ApiZodResponse(200, z.object({ items: z.array(userViewSchema) }))
  async list() {
    return { items: (await this.users.list()).map(toUserView) };
  }

  @Get('me')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @PasswordChangeExempt()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiZodResponse(200, userViewSchema)
  async me(@Ctx() ctx: CommandContext) {
    const user = await this.users.findById(ctx.actor.id);
    if (!user) throw notFound('user', ctx.actor.id);
    return toUserView(user);
  }

  @Post('me/password')
  @HttpCode(200)
  @Roles(...STAFF_ROLES)
  @PasswordChangeExempt()
  @ApiOperation({
    summary:
      'Change my password (the current one again); every other token is revoked, a new one is returned',
  })
  @ApiZodResponse(200, tokenResponseSchema)
  changePassword(
    @ZodBody(changePasswordSchema) body: ChangePasswordInput,
    @Req() request: FastifyRequest,
    @Ctx() ctx: CommandContext,
  ) {
    return this.ownAccount.changePassword(body, request.ip, ctx);
  }

  @Get(':id')
  @PersonalData('user', 'id')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'One user (admin, auditor)' })
  @ApiZodResponse(200, userViewSchema)
  async get(@ZodParam('id', userId) id: string) {
    const user = await this.users.findById(id);
    if (!user) throw notFound('user', id);
    return toUserView(user);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a user: display name, roles, qualification numbers, single sign-on subject (admin)',
  })
  @ApiZodResponse(200, userViewSchema)
  update(
    @ZodParam('id', userId) id: string,
    @ZodBody(updateUserSchema) body: UpdateUserInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.updateUser.execute(id, body, ctx);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Disable a user: their tokens are refused within seconds, streams close (admin)' })
  @ApiZodResponse(200, userViewSchema)
  disable(
    @ZodParam('id', userId) id: string,
    @ZodBody(accountReasonSchema) body: AccountReason,
    @Ctx() ctx: CommandContext,
  ) {
    return this.setActive.disable(id, body, ctx);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Enable a disabled user again (admin)' })
  @ApiZodResponse(200, userViewSchema)
  enable(
    @ZodParam('id', userId) id: string,
    @ZodBody(accountReasonSchema) body: AccountReason,
    @Ctx() ctx: CommandContext,
  ) {
    return this.setActive.enable(id, body, ctx);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Reset a password: a one-time password, shown once, to be changed at the next sign-in (admin)',
  })
  @ApiZodResponse(200, passwordResetSchema)
  reset(@ZodParam('id', userId) id: string, @Ctx() ctx: CommandContext) {
    return this.resetPassword.execute(id, ctx);
  }
}
