import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '@ecc/shared-config';
import { tokenResponseSchema } from '@ecc/identity-domain';
import {
  ApiProblems,
  ApiZodResponse,
  APP_CONFIG,
  cookieOf,
  NoPersonalData,
  Public,
  ZodBody,
} from '@ecc/platform-nest';
import { OidcSignIn } from './oidc-sign-in';

export const OIDC_PATH = '/api/v1/auth/oidc';
export const OIDC_BINDING_COOKIE = 'ecc_oidc_binding';

const finishSchema = z.strictObject({
  code: z.string().min(1).max(2048),
  state: z.string().min(1).max(512),
});

/** Single sign-on with the bureau's OpenID Connect identity provider (when OIDC_ISSUER is configured). */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly sso: OidcSignIn,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  @NoPersonalData()
  @ApiOperation({ summary: 'Start a single sign-on: 302 to the identity provider (a browser follows it)' })
  @ApiResponse({
    status: 302,
    description:
      "to the identity provider's authorisation endpoint, with a cookie binding the sign-in to this browser",
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  })
  async login(@Res() reply: FastifyReply): Promise<void> {
    const { url, binding, maxAgeSeconds } = await this.sso.start();
    const cookie = [
      `${OIDC_BINDING_COOKIE}=${binding}`,
      `Path=${OIDC_PATH}`,
      `Max-Age=${maxAgeSeconds}`,
      'HttpOnly',
      // Lax: the browser comes back from the provider by a top-level navigation.
      'SameSite=Lax',
      ...(this.config.env === 'production' ? ['Secure'] : []),
    ].join('; ');
    await reply.header('set-cookie', cookie).redirect(url, 302);
  }

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Finish a single sign-on: the code and state the provider returned → a bearer token',
  })
  @ApiZodResponse(200, tokenResponseSchema)
  @ApiProblems({
    401: '`sso_failed`: the state, the browser binding or the code is not accepted, or no local user is linked',
  })
  token(@ZodBody(finishSchema) body: z.infer<typeof finishSchema>, @Req() request: FastifyRequest) {
    return this.sso.finish(body, cookieOf(request, OIDC_BINDING_COOKIE));
  }
}
