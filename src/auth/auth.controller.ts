import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '../common/openapi';
import { DomainException } from '../common/problem';
import { LoginDto } from '../directory/directory.dto';
import { UserDto } from '../directory/directory.views';
import { ChangePasswordDto, LoginResponseDto } from './auth.dto';
import { AuthService } from './auth.service';
import { Credential, CurrentCredential, CurrentPrincipal, Principal, Public } from './principal';

/** A locked account answers 429 like the other rate limits: with Retry-After. */
async function withRetryAfter<T>(res: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DomainException && typeof e.extra.retryAfterSeconds === 'number') {
      res.setHeader('Retry-After', String(e.extra.retryAfterSeconds));
    }
    throw e;
  }
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in',
    security: [], // public: no token yet
    description:
      'Answers a bearer token. Failed logins are limited per client address and per account: too many failures lock the username for a while (429 with Retry-After, even for the right password).',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 401, 429, 503)
  login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<LoginResponseDto> {
    return withRetryAfter(res, () => this.auth.login(dto.username, dto.password));
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'The caller: user, roles and agency as stored now' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(401, 503)
  me(@CurrentPrincipal() principal: Principal) {
    return this.auth.me(principal);
  }

  @ApiBearerAuth()
  @Post('password')
  @HttpCode(200)
  @ApiOperation({
    summary: "Change one's own password",
    description:
      'Every other token of the user stops working; the answer carries a new token. A wrong currentPassword counts as a failed login of the account.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiProblems(400, 401, 429, 503)
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @CurrentCredential() credential: Credential,
    @Body() dto: ChangePasswordDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponseDto> {
    return withRetryAfter(res, () => this.auth.changePassword(principal, credential, dto.currentPassword, dto.newPassword));
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: this token stops working', description: 'Other tokens of the user go on working.' })
  @ApiNoContentResponse({ description: 'The token no longer works' })
  @ApiProblems(400, 401, 503)
  async logout(@CurrentPrincipal() principal: Principal, @CurrentCredential() credential: Credential): Promise<void> {
    await this.auth.logout(principal, credential);
  }
}
