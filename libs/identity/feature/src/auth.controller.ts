import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { tokenRequestSchema, tokenResponseSchema, type TokenRequest } from '@ecc/identity-domain';
import { ApiProblems, ApiZodResponse, Public, ZodBody } from '@ecc/platform-nest';
import { IssueTokenUseCase } from './issue-token.use-case';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly issueToken: IssueTokenUseCase) {}

  @Post('token')
  @ApiProblems({ 401: '`invalid_credentials`: the same answer for an unknown user and a wrong password' })
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a username and password for a bearer token (JWT)' })
  @ApiZodResponse(200, tokenResponseSchema)
  token(@ZodBody(tokenRequestSchema) body: TokenRequest) {
    return this.issueToken.execute(body);
  }
}
