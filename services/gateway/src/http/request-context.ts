import { MessageContext } from '@study-buddy/messaging';
import { traceparentOf } from '@study-buddy/observability';
import { AuthenticatedRequest } from '../auth/auth.guard';

/**
 * Correlation id, trace context and acting user for downstream calls. The correlation id is the
 * request id (the caller's `X-Request-Id` if sane, else a new one; see nest-kit's edge), so the id a
 * client sees on its reply is the one in every log line and event the request caused.
 */
export function requestContext(request: AuthenticatedRequest): MessageContext {
  const traceparent = request.headers.traceparent;
  return {
    correlationId: request.id,
    userId: request.user?.userId,
    // the request's server span when tracing is on (it continues the caller's traceparent), else the header
    traceparent:
      traceparentOf() ??
      (typeof traceparent === 'string' && /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/.test(traceparent)
        ? traceparent
        : undefined),
  };
}
