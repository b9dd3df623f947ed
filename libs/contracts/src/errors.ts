import { z } from 'zod';
import { findUnsafeText } from './validation';

/**
 * Error codes shared by every service. They cross NATS as `{ code, message, details }`
 * and the gateway maps them to HTTP statuses, so a domain error in any service
 * reaches the user with the right status and a useful message.
 */
export const ERROR_HTTP_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  invalid_url: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  precondition_required: 428,
  rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export const errorCodeSchema = z.enum(Object.keys(ERROR_HTTP_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const errorPayloadSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

/** A failure the caller can act on. Thrown by domain code, carried over NATS, rendered by the gateway. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return ERROR_HTTP_STATUS[this.code];
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(payload: unknown): AppError {
    const parsed = errorPayloadSchema.safeParse(payload);
    if (parsed.success) return new AppError(parsed.data.code, parsed.data.message, parsed.data.details);
    return new AppError('internal', 'The service returned an unrecognised error');
  }

  static isAppError(e: unknown): e is AppError {
    return e instanceof AppError;
  }
}

/** Parses `value` with `schema` or throws a `validation_failed` AppError listing every issue. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.infer<T> {
  // Whatever the schema says, no NUL or lone surrogate gets past the parse (see validation.ts).
  const unsafe = findUnsafeText(value);
  if (unsafe) {
    const summary = unsafe.path ? `${unsafe.path}: ${unsafe.message}` : unsafe.message;
    throw new AppError('validation_failed', `Invalid ${what}: ${summary}`, { issues: [unsafe] });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new AppError('validation_failed', `Invalid ${what}: ${summary}`, { issues });
}
