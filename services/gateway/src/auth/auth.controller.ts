import { Api } from '../openapi/api-doc';
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError, parseOrThrow } from '@study-buddy/contracts';
import { Public } from '@study-buddy/nest-kit';
import {
  changePasswordBody,
  loginBody,
  meReply,
  refreshBody,
  refreshBodyDoc,
  registerBody,
  sessionCookieHeader,
  tokenPairReply,
  TokenPairReply,
} from '../http/public-api.schemas';
import { requestContext } from '../http/request-context';
import { toSnakeCase } from '../http/snake-case';
import { LoginLimits } from '../sessions/login-limits';
import { SessionsService, TokenPair } from '../sessions/sessions.service';
import { REFRESH_REFUSED } from '../domain/session.decider';
import { AuthenticatedRequest, AuthenticatedUser } from './auth.guard';
import {
  clearRefreshCookie,
  REFRESH_COOKIE,
  refreshCookie,
  setRefreshCookie,
  wantsSessionCookie,
} from './session-cookie';
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

/** `X-Session-Cookie: 1`, on every route that starts, renews or ends a session. */
const COOKIE_HEADER = {
  'X-Session-Cookie': {
    schema: sessionCookieHeader,
    description: `\`1\`: the refresh token is set as the HttpOnly \`${REFRESH_COOKIE}\` cookie (Path=/auth, SameSite=Strict, Secure outside localhost) and left out of the JSON`,
  },
};
const SET_COOKIE = {
  'Set-Cookie': {
    schema: z.string(),
    description: `With \`X-Session-Cookie: 1\`: \`${REFRESH_COOKIE}=<refresh token>; HttpOnly; SameSite=Strict; Path=/auth; Max-Age=<refresh_expires_in>\` (+ \`Secure\` outside localhost)`,
  },
};
const CLEAR_COOKIE = {
  'Set-Cookie': {
    schema: z.string(),
    description: `With \`X-Session-Cookie: 1\`: \`${REFRESH_COOKIE}\` cleared (Max-Age=0)`,
  },
};

@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limits: LoginLimits,
  ) {}

  /** The reply body, with the refresh token moved into the cookie when the client asked for that. */
  private reply(pair: TokenPair, request: AuthenticatedRequest, reply: FastifyReply): TokenPairReply {
    const body = tokens(pair);
    if (!wantsSessionCookie(request)) return body;
    setRefreshCookie(reply, request, pair.refreshToken, pair.refreshExpiresIn);
    delete body.refresh_token;
    return body;
  }

  @Api({
    tag: 'auth',
    summary: 'Create an account and start a session',
    description: 'New accounts get SIGNUP_CREDITS credits. Limited per client address (429 with Retry-After).',
    body: registerBody,
    bodyExample: { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada' },
    headers: COOKIE_HEADER,
    replies: {
      201: {
        description: 'The account and its first token pair',
        schema: tokenPairReply,
        headers: SET_COOKIE,
        example: TOKENS_EXAMPLE,
      },
    },
    errors: ['email_taken', 'rate_limited'],
  })
  @Public()
  @Post('register')
  @HttpCode(201)
  async register(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseOrThrow(registerBody, body, 'registration');
    await this.limits.beforeRegistration(request.ip);
    const context = requestContext(request);
    const { userId } = await this.users.register(input, context);
    const pair = await this.sessions.start({ userId, email: input.email.toLowerCase(), epoch: 0 }, context);
    return this.reply(pair, request, reply);
  }

  @Api({
    tag: 'auth',
    summary: 'Start a session',
    description: 'Too many failures for the account or the client address answer 429 with Retry-After.',
    body: loginBody,
    bodyExample: { email: 'ada@example.com', password: 'correct horse battery staple' },
    headers: COOKIE_HEADER,
    replies: {
      200: { description: 'A new token pair', schema: tokenPairReply, headers: SET_COOKIE, example: TOKENS_EXAMPLE },
    },
    errors: ['unauthorized', 'rate_limited'],
  })
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseOrThrow(loginBody, body, 'login');
    const user = await this.limits.guard(input.email, request.ip, () =>
      this.users.authenticate(input.email, input.password),
    );
    return this.reply(await this.sessions.start(user, requestContext(request)), request, reply);
  }

  /** A new access token and a new refresh token for the one presented, which is spent. */
  @Api({
    tag: 'auth',
    summary: 'Swap a refresh token for a new pair',
    description:
      'The presented refresh token is spent. Presenting a spent one again ends that whole session (401). With `X-Session-Cookie: 1` the token may come from the `sb_refresh` cookie instead of the body (401 when there is neither), and the new one goes back in it.',
    body: refreshBodyDoc,
    bodyOptional: true,
    headers: COOKIE_HEADER,
    replies: {
      200: { description: 'A new token pair', schema: tokenPairReply, headers: SET_COOKIE, example: TOKENS_EXAMPLE },
    },
    errors: ['unauthorized'],
  })
  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    let presented: string;
    if (wantsSessionCookie(request)) {
      const input = parseOrThrow(refreshBodyDoc, body ?? {}, 'refresh');
      const token = input.refresh_token ?? refreshCookie(request);
      if (!token) throw new AppError('unauthorized', REFRESH_REFUSED);
      presented = token;
    } else presented = parseOrThrow(refreshBody, body, 'refresh').refresh_token;
    return this.reply(await this.sessions.refresh(presented, requestContext(request)), request, reply);
  }

  /** Ends this session; its access token stays valid until it expires (at most ACCESS_TOKEN_TTL_SECONDS). */
  @Api({
    tag: 'auth',
    summary: 'End this session',
    headers: COOKIE_HEADER,
    replies: { 204: { description: 'Its refresh token stops working', headers: CLEAR_COOKIE } },
  })
  @Post('logout')
  @HttpCode(204)
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.sessions.end(user.sessionId, user.userId, requestContext(request));
    if (wantsSessionCookie(request)) clearRefreshCookie(reply, request);
  }

  @Api({
    tag: 'auth',
    summary: 'End every session of the user',
    headers: COOKIE_HEADER,
    replies: { 204: { description: 'No refresh token of theirs works', headers: CLEAR_COOKIE } },
  })
  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.sessions.endAll(user.userId, requestContext(request));
    if (wantsSessionCookie(request)) clearRefreshCookie(reply, request);
  }

  /** Changes the password, ends every session, and answers with a new session for this client. */
  @Api({
    tag: 'auth',
    summary: 'Change the password',
    description: 'Every other session ends; this client gets a new pair.',
    body: changePasswordBody,
    headers: COOKIE_HEADER,
    replies: { 200: { description: 'A new token pair for this client', schema: tokenPairReply, headers: SET_COOKIE } },
    errors: ['unauthorized', 'rate_limited'],
  })
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
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
    return this.reply(await this.sessions.start(changed, context), request, reply);
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
