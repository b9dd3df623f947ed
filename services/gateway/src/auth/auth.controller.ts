import { Api } from '../openapi/api-doc';
import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { parseOrThrow } from '@study-buddy/contracts';
import { Public } from '@study-buddy/nest-kit';
import {
  changePasswordBody,
  loginBody,
  meReply,
  refreshBody,
  registerBody,
  tokenPairReply,
  TokenPairReply,
} from '../http/public-api.schemas';
import { requestContext } from '../http/request-context';
import { toSnakeCase } from '../http/snake-case';
import { LoginLimits } from '../sessions/login-limits';
import { SessionsService, TokenPair } from '../sessions/sessions.service';
import { AuthenticatedRequest, AuthenticatedUser } from './auth.guard';
import { CurrentUser } from './current-user.decorator';
import { UsersService } from './users.service';

const TOKENS_EXAMPLE: TokenPairReply = {
  user_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  access_token: 'eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  refresh_token: 'rt_3q2-7wQnXb1Yp0v9L4sM',
  token_type: 'Bearer',
  expires_in: 900,
  refresh_expires_in: 2592000,
};

@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limits: LoginLimits,
  ) {}

  @Api({
    tag: 'auth',
    summary: 'Create an account and start a session',
    description: 'New accounts get SIGNUP_CREDITS credits. Limited per client address (429 with Retry-After).',
    body: registerBody,
    bodyExample: { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada' },
    replies: {
      201: { description: 'The account and its first token pair', schema: tokenPairReply, example: TOKENS_EXAMPLE },
    },
    errors: ['email_taken', 'rate_limited'],
  })
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

  @Api({
    tag: 'auth',
    summary: 'Start a session',
    description: 'Too many failures for the account or the client address answer 429 with Retry-After.',
    body: loginBody,
    bodyExample: { email: 'ada@example.com', password: 'correct horse battery staple' },
    replies: { 200: { description: 'A new token pair', schema: tokenPairReply, example: TOKENS_EXAMPLE } },
    errors: ['unauthorized', 'rate_limited'],
  })
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
  @Api({
    tag: 'auth',
    summary: 'Swap a refresh token for a new pair',
    description: 'The presented refresh token is spent. Presenting a spent one again ends that whole session (401).',
    body: refreshBody,
    replies: { 200: { description: 'A new token pair', schema: tokenPairReply, example: TOKENS_EXAMPLE } },
    errors: ['unauthorized'],
  })
  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(refreshBody, body, 'refresh');
    return tokens(await this.sessions.refresh(input.refresh_token, requestContext(request)));
  }

  /** Ends this session; its access token stays valid until it expires (at most ACCESS_TOKEN_TTL_SECONDS). */
  @Api({
    tag: 'auth',
    summary: 'End this session',
    replies: { 204: { description: 'Its refresh token stops working' } },
  })
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    await this.sessions.end(user.sessionId, user.userId, requestContext(request));
  }

  @Api({
    tag: 'auth',
    summary: 'End every session of the user',
    replies: { 204: { description: 'No refresh token of theirs works' } },
  })
  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(@CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    await this.sessions.endAll(user.userId, requestContext(request));
  }

  /** Changes the password, ends every session, and answers with a new session for this client. */
  @Api({
    tag: 'auth',
    summary: 'Change the password',
    description: 'Every other session ends; this client gets a new pair.',
    body: changePasswordBody,
    replies: { 200: { description: 'A new token pair for this client', schema: tokenPairReply } },
    errors: ['unauthorized', 'rate_limited'],
  })
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

  @Api({
    tag: 'auth',
    summary: 'Who the token belongs to',
    replies: { 200: { description: 'The caller', schema: meReply } },
  })
  @Get('me')
  async me(@CurrentUser() user: AuthenticatedUser) {
    const { userId, email, name, createdAt } = await this.users.profile(user.userId);
    return toSnakeCase({ userId, email, name, createdAt });
  }
}

function tokens(pair: TokenPair): TokenPairReply {
  return {
    user_id: pair.userId,
    access_token: pair.accessToken,
    refresh_token: pair.refreshToken,
    token_type: 'Bearer',
    expires_in: pair.expiresIn,
    refresh_expires_in: pair.refreshExpiresIn,
  };
}
