import { randomUUID } from 'node:crypto';
import { MessageContext } from '@study-buddy/messaging';
import { AuthenticatedRequest } from '../auth/auth.guard';

/** Correlation id (the caller's, if sane, else a new one), trace context and acting user for downstream calls. */
export function requestContext(request: AuthenticatedRequest): MessageContext {
  const incoming = request.headers['x-correlation-id'];
  const correlationId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  const traceparent = request.headers.traceparent;
  return {
    correlationId,
    userId: request.user?.userId,
    traceparent:
      typeof traceparent === 'string' && /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/.test(traceparent)
        ? traceparent
        : undefined,
  };
}
