import { Controller, Delete, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  tokenRequestSchema,
  tokenResponseSchema,
  STAFF_ROLES,
  type TokenRequest,
} from '@ecc/identity-domain';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  PasswordChangeExempt,
  Public,
  Roles,
  ZodBody,
  ZodParam,
  type CommandContext,
} from '@ecc/platform-nest';
import { IssueTokenUseCase } from './issue-token.use-case';
import { OwnAccountUseCase } from './own-account.use-case';
import { UnlockSignInUseCase } from './unlock-sign-in.use-case';

const unlockedSchema = z.object({
  failures: z.number().int().describe('failed sign-ins counted until now'),
  lockedUntil: z.string().nullable().describe('when the lock would have ended (null: it was not locked)'),
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly issueToken: IssueTokenUseCase,
    private readonly ownAccount: OwnAccountUseCase,
    private readonly unlock: UnlockSignInUseCase,
  ) {}

  @Post('token')
  @ApiProblems({ 401: '`invalid_credentials`: the same answer for an unknown user and a wrong password' })
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Exchange a username and password for a bearer token (JWT); failed attempts slow down, then lock (429, Retry-After)',
  })
  @ApiZodResponse(200, tokenResponseSchema)
  token(@ZodBody(tokenRequestSchema) body: TokenRequest, @Req() request: FastifyRequest) {
    return this.issueToken.execute(body, request.ip);
  }

  @Post('sign-out')
  @HttpCode(204)
  @Roles(...STAFF_ROLES)
  @PasswordChangeExempt()
  @ApiOperation({ summary: 'Sign out: every token of the signed-in user is revoked (all devices)' })
  @ApiResponse({ status: 204, description: 'signed out: no body' })
  async signOut(@Ctx() ctx: CommandContext): Promise<void> {
    await this.ownAccount.signOut(ctx);
  }

  @Delete('lockouts/usernames/:username')
  @Roles('admin')
  @ApiOperation({ summary: 'Lift the sign-in throttle of a username (admin; audited)' })
  @ApiZodResponse(200, unlockedSchema.extend({ username: z.string() }))
  unlockUsername(
    @ZodParam('username', z.string().min(1).max(64)) username: string,
    @Ctx() ctx: CommandContext,
  ) {
    return this.unlock.execute({ kind: 'username', value: username }, ctx);
  }

  @Delete('lockouts/addresses/:address')
  @Roles('admin')
  @ApiOperation({ summary: 'Lift the sign-in throttle of a client address (admin; audited)' })
  @ApiZodResponse(200, unlockedSchema.extend({ address: z.string() }))
  unlockAddress(
    @ZodParam('address', z.union([z.ipv4(), z.ipv6()])) address: string,
    @Ctx() ctx: CommandContext,
  ) {
    return this.unlock.execute({ kind: 'address', value: address }, ctx);
  }
}
