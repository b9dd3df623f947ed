import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { FastifyRequest } from 'fastify';
import { AppError } from '@study-buddy/contracts';
import { IS_PUBLIC } from '@study-buddy/nest-kit';

export interface AuthenticatedUser {
  userId: string;
  email: string;
}

export type AuthenticatedRequest = FastifyRequest & { user?: AuthenticatedUser };

/** Every route needs `Authorization: Bearer <jwt>` unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new AppError('unauthorized', 'Missing bearer token: send Authorization: Bearer <access_token>');
    }
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; email: string }>(token);
      request.user = { userId: payload.sub, email: payload.email };
      return true;
    } catch {
      throw new AppError('unauthorized', 'Invalid or expired access token: log in again');
    }
  }
}
