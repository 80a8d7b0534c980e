import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { notFound } from '@ecc/shared-kernel';
import { createUserSchema, userViewSchema, type CreateUserInput, STAFF_ROLES } from '@ecc/identity-domain';
import { toUserView, UsersRepository } from '@ecc/identity-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  type CommandContext,
  NoPersonalData,
  PersonalData,
} from '@ecc/platform-nest';
import { CreateUserUseCase } from './create-user.use-case';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly createUser: CreateUserUseCase,
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
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiZodResponse(200, userViewSchema)
  async me(@Ctx() ctx: CommandContext) {
    const user = await this.users.findById(ctx.actor.id);
    if (!user) throw notFound('user', ctx.actor.id);
    return toUserView(user);
  }

  @Get(':id')
  @PersonalData('user', 'id')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'One user (admin, auditor)' })
  @ApiZodResponse(200, userViewSchema)
  async get(@ZodParam('id', z.string().uuid()) id: string) {
    const user = await this.users.findById(id);
    if (!user) throw notFound('user', id);
    return toUserView(user);
  }
}
