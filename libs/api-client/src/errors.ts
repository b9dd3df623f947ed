/** A reply that was not a success, with the gateway's `{ error: { code, message, details } }` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The ApiError for a parsed error body (what openapi-fetch returns as `error`) and its response. */
export function apiError(response: Response, body: unknown): ApiError {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as ErrorEnvelope;
  const code = typeof envelope.error?.code === 'string' ? envelope.error.code : `http_${response.status}`;
  const message =
    typeof envelope.error?.message === 'string'
      ? envelope.error.message
      : `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    code,
    message,
    envelope.error?.details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** Reads an error response's body (JSON or not) into an ApiError. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return apiError(response, body);
}

/** The data of an openapi-fetch result, or its ApiError thrown. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw apiError(result.response, result.error);
  return result.data as T;
}
