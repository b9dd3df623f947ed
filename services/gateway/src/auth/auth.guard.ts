import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AppError } from '@study-buddy/contracts';
import { IS_PUBLIC } from '@study-buddy/nest-kit';
import { setLogUser } from '@study-buddy/observability';
import { ACCESS_TOKENS } from '../sessions/sessions.service';
import { AccessTokens } from './access-tokens';

export interface AuthenticatedUser {
  userId: string;
  email: string;
  sessionId: string;
}

export type AuthenticatedRequest = FastifyRequest & { user?: AuthenticatedUser };

/** Every route needs `Authorization: Bearer <jwt>` unless it is marked @Public(). Synchronous: no I/O per request. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    @Inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new AppError('unauthorized', 'Missing bearer token: send Authorization: Bearer <access_token>');
    }
    const claims = this.tokens.verify(token);
    request.user = { userId: claims.sub, email: claims.email, sessionId: claims.sid };
    setLogUser(claims.sub);
    return true;
  }
}
