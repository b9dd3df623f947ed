import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@study-buddy/contracts';
import { RateLimiter, RateLimitRule } from '@study-buddy/nest-kit';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { GatewayEnv } from '../config';

export const RATE_LIMITER = Symbol('RATE_LIMITER');
export const RATE_LIMIT_RULES = Symbol('RATE_LIMIT_RULES');
export const RATE_LIMIT = 'rateLimit';

/** The expensive operations that are limited per user. */
export type RateLimitedOperation = 'submit' | 'checkout' | 'export';
export type RateLimitRules = Record<RateLimitedOperation, RateLimitRule>;

export function rateLimitRules(env: GatewayEnv): RateLimitRules {
  return {
    submit: { limit: env.RATE_LIMIT_SUBMIT, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
    checkout: { limit: env.RATE_LIMIT_CHECKOUT, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
    export: { limit: env.RATE_LIMIT_EXPORT, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
  };
}

/**
 * `@RateLimit('submit')` on a route: each user gets the operation's budget per window, counted
 * across gateway replicas; one request more is a 429 with `Retry-After`. Runs after authentication
 * (global guards first) and before validation, so a flood of bad requests is limited too.
 */
export const RateLimit = (operation: RateLimitedOperation) =>
  applyDecorators(SetMetadata(RATE_LIMIT, operation), UseGuards(RateLimitGuard));

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(RATE_LIMIT_RULES) private readonly rules: RateLimitRules,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const operation = this.reflector.get<RateLimitedOperation | undefined>(RATE_LIMIT, context.getHandler());
    if (!operation) return true;
    const userId = context.switchToHttp().getRequest<AuthenticatedRequest>().user?.userId;
    if (!userId) return true; // a public route: limited by other means (per client address)
    const verdict = await this.limiter.hit(operation, userId.toLowerCase(), this.rules[operation]);
    if (verdict.allowed) return true;
    throw new AppError('rate_limited', `Too many requests of this kind: try again in ${verdict.retryAfterSeconds} s`, {
      retryAfterSeconds: verdict.retryAfterSeconds,
    });
  }
}
