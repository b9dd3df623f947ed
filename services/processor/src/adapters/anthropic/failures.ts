import Anthropic from '@anthropic-ai/sdk';
import { ProgressStep } from '@study-buddy/contracts';
import { PipelineError, TransientFailure } from '../../domain/pipeline-error';

/**
 * What an SDK error means for the job, once the SDK's own retries are spent:
 * overload, rate limits, 5xx and timeouts may pass (JetStream redelivers);
 * a refused key, a refused request or an exhausted spend limit will not, so
 * the job fails at once. Messages name the class of failure, never the key.
 */
export function classifyClaudeError(step: ProgressStep, e: unknown): Error {
  if (e instanceof Anthropic.APIConnectionTimeoutError)
    return new TransientFailure(step, 'Claude did not answer in time', 'timeout');
  if (e instanceof Anthropic.APIConnectionError)
    return new TransientFailure(step, 'Claude could not be reached', 'unreachable');
  // Any other SDK error of a stream: it broke off (connection cut, no message_stop) before the answer was whole.
  if (!(e instanceof Anthropic.APIError))
    return e instanceof Anthropic.AnthropicError
      ? new TransientFailure(step, 'Claude’s answer broke off before it was complete', 'interrupted')
      : (e as Error);
  const type = errorType(e);
  // An `error` event in a stream has a type but no HTTP status: read it as the status that type comes with.
  const status = e.status ?? STATUS_OF_TYPE[type ?? ''] ?? 500;
  if (status === 401 || status === 403)
    return new PipelineError(
      step,
      `Claude refused the service's API key (HTTP ${status}): the operator must replace it; retry the video afterwards`,
      true,
    );
  if (status === 402 || (status === 400 && /credit balance|spend limit|billing/i.test(e.message)))
    return new PipelineError(
      step,
      'The Claude account has reached its spend limit: retry the video once the operator has raised it',
      true,
    );
  if (status === 404)
    return new PipelineError(step, 'The configured Claude model does not exist (HTTP 404): ANTHROPIC_MODEL', true);
  if (status === 429)
    return new TransientFailure(step, 'Claude is rate-limiting the service (HTTP 429)', 'rate_limited');
  if (status === 529) return new TransientFailure(step, 'Claude is overloaded (HTTP 529)', 'overloaded');
  if (status === 408 || status === 409 || status >= 500)
    return new TransientFailure(step, `Claude failed (HTTP ${status})`, 'server_error');
  return new PipelineError(step, `Claude refused the request (HTTP ${status}${type ? `, ${type}` : ''})`, false);
}

const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const errorType = (e: InstanceType<typeof Anthropic.APIError>): string | undefined => {
  const body = e.error as { error?: { type?: unknown } } | undefined;
  return typeof body?.error?.type === 'string' ? body.error.type : undefined;
};
