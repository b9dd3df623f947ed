import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { parseOrThrow } from '@study-buddy/contracts';
import { Public } from '@study-buddy/nest-kit';
import { changePasswordBody, loginBody, refreshBody, registerBody } from '../http/public-api.schemas';
import { requestContext } from '../http/request-context';
import { toSnakeCase } from '../http/snake-case';
import { LoginLimits } from '../sessions/login-limits';
import { SessionsService, TokenPair } from '../sessions/sessions.service';
import { AuthenticatedRequest, AuthenticatedUser } from './auth.guard';
import { CurrentUser } from './current-user.decorator';
import { UsersService } from './users.service';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limits: LoginLimits,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  async register(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(registerBody, body, 'registration');
    await this.limits.beforeRegistration(request.ip);
    const context = requestContext(request);
    const { userId } = await this.users.register(input, context);
    return tokens(await this.sessions.start({ userId, email: input.email.toLowerCase(), epoch: 0 }, context));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(loginBody, body, 'login');
    const user = await this.limits.guard(input.email, request.ip, () =>
      this.users.authenticate(input.email, input.password),
    );
    return tokens(await this.sessions.start(user, requestContext(request)));
  }

  /** A new access token and a new refresh token for the one presented, which is spent. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(refreshBody, body, 'refresh');
    return tokens(await this.sessions.refresh(input.refresh_token, requestContext(request)));
  }

  /** Ends this session; its access token stays valid until it expires (at most ACCESS_TOKEN_TTL_SECONDS). */
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    await this.sessions.end(user.sessionId, user.userId, requestContext(request));
  }

  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(@CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    await this.sessions.endAll(user.userId, requestContext(request));
  }

  /** Changes the password, ends every session, and answers with a new session for this client. */
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const input = parseOrThrow(changePasswordBody, body, 'password change');
    const context = requestContext(request);
    const changed = await this.limits.guard(user.email, request.ip, () =>
      this.users.changePassword(
        user.userId,
        { currentPassword: input.current_password, newPassword: input.new_password },
        context,
      ),
    );
    return tokens(await this.sessions.start(changed, context));
  }

  @Get('me')
  async me(@CurrentUser() user: AuthenticatedUser) {
    const { userId, email, name, createdAt } = await this.users.profile(user.userId);
    return toSnakeCase({ userId, email, name, createdAt });
  }
}

function tokens(pair: TokenPair) {
  return {
    user_id: pair.userId,
    access_token: pair.accessToken,
    refresh_token: pair.refreshToken,
    token_type: 'Bearer',
    expires_in: pair.expiresIn,
    refresh_expires_in: pair.refreshExpiresIn,
  };
}
