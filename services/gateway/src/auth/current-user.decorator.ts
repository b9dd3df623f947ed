import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError, normaliseResourceId } from '@study-buddy/contracts';
import { AuthenticatedRequest, AuthenticatedUser } from './auth.guard';

/**
 * The user the guard authenticated. A validly signed token whose `sub` is not a user id (a key
 * mix-up, another issuer's token) authenticates nobody: 401 here, before any service sees it.
 */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  const userId = typeof user.userId === 'string' ? normaliseResourceId(user.userId) : null;
  if (!userId) throw new AppError('unauthorized', 'Invalid access token: log in again');
  return { ...user, userId };
});
