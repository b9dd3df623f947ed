import type { ApiErrorBody } from './types';

/** A reply that was not a success, with the platform's plain-language message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function apiError(response: Response, body: unknown): ApiError {
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  if (error && typeof error.message === 'string')
    return new ApiError(response.status, error.code ?? 'error', error.message, error.details);
  return new ApiError(response.status, 'error', `The server answered ${response.status}`);
}

export const messageOf = (e: unknown) => (e instanceof Error ? e.message : 'Something went wrong; please try again.');
