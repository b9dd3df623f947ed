import { z } from 'zod';
import {
  AppError,
  languageCode,
  normaliseResourceId,
  submissionFields,
  usageMonth,
  videoStatusSchema,
} from '@study-buddy/contracts';

/**
 * Request shapes of the public REST API (snake_case), validated before anything is forwarded.
 * Objects are strict: a misspelt field is an error, not silently dropped. NUL bytes and lone
 * surrogates are refused for every field by `parseOrThrow` (the shared sanitiser in contracts).
 */

/** A password of only spaces is no password, however long. */
const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters')
  .refine((p) => p.trim().length > 0, 'must not be only whitespace');

export const registerBody = z
  .object({
    email: z.string().trim().max(254).email('must be a valid e-mail address'),
    password,
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const loginBody = z
  .object({
    email: z.string().trim().max(254),
    password: z.string().min(1).max(200),
  })
  .strict();

/** `POST /videos`: the submission's fields and limits are the videos contract's own. */
export const submitVideoBody = submissionFields.strict();

/** `POST /videos/playlist`: a playlist link and the submission's settings for each of its videos. */
export const submitPlaylistBody = submitVideoBody
  .omit({ transcript: true })
  .extend({
    limit: z.number({ message: 'must be a number' }).int().min(1, 'must be at least 1').max(10_000).optional(),
    partial: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .strict();

/**
 * `POST /videos/{id}/retry`: optionally a transcript for the new attempt (otherwise the previous one is used)
 * and the attempt being retried (a double-submitted retry then answers 200 instead of 409).
 */
export const retryVideoBody = submitVideoBody
  .pick({ transcript: true })
  .extend({ attempt: z.number({ message: 'must be a number' }).int().positive().optional() })
  .strict();

const limit = z.coerce
  .number({ message: 'must be a number' })
  .int()
  .min(1, 'must be between 1 and 100')
  .max(100, 'must be between 1 and 100')
  .default(20)
  .describe('Page size, 1 to 100 (default 20)');
const cursor = z
  .string()
  .max(200)
  .optional()
  .describe('Opaque: the next_cursor of the previous page (absent: the first page; next_cursor null: no more)');

/** `GET /videos/info?url=`: the link a user is about to submit. */
export const videoInfoQuery = z.object({ url: z.string().trim().min(1, 'is required').max(2048) }).strict();

export const listVideosQuery = z.object({ status: videoStatusSchema.optional(), cursor, limit }).strict();
export const listNotesQuery = z
  .object({
    subject: z.string().trim().min(1).max(100).optional(),
    tag: z.string().trim().min(1).max(100).optional().describe('Only notes with this tag (any case)'),
    q: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe(
        'Full-text search over title, summary, concepts and body (web-search syntax: "phrase", OR, -word): ' +
          'the best matches first, each with a snippet where <mark> wraps the matched words',
      ),
    cursor,
    limit,
  })
  .strict();
export const relatedNotesQuery = z
  .object({
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(1, 'must be between 1 and 50')
      .max(50, 'must be between 1 and 50')
      .default(5)
      .describe('How many, 1 to 50 (default 5)'),
  })
  .strict();

/** `PATCH /notes/{id}`: only the fields sent change; `body` is the owner's Markdown (no front matter, no generated section). */
export const editNoteBody = z
  .strictObject({
    title: z.string().trim().min(1).max(300).optional(),
    subject: z.string().trim().min(1).max(100).optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    body: z.string().max(200_000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one of title, subject, tags, body');

/** A note's version as an entity tag: `"<version>"` (strong: If-Match compares exactly). */
export const noteEtag = (version: number) => `"${version}"`;
export const ifMatchHeader = z
  .string()
  .max(100)
  .describe('The ETag of the version the edit was made on (from GET /notes/{id}); required');
export const getNoteQuery = z
  .object({
    include_content: z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
  })
  .strict();
/** Routes that take no query string still refuse one they do not understand. */
export const noQuery = z.object({}).strict();

/** `{id}` in a path: a UUID in any case, lower-cased; anything else names nothing (404). */
export function pathId(id: string, what: string): string {
  const normalised = normaliseResourceId(id);
  if (!normalised) throw new AppError('not_found', `${what} not found`);
  return normalised;
}

export const historyQuery = z.object({ cursor, limit }).strict();

/** `GET /usage`: months `YYYY-MM` (UTC), both inclusive, both optional. */
export const usageQuery = z
  .object({
    from: usageMonth.optional().describe('The first month to include, e.g. 2026-11 (absent: from the first)'),
    to: usageMonth.optional().describe('The last month to include, e.g. 2026-12 (absent: up to now)'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });

const redirectUrl = z
  .string()
  .max(2000)
  .url('must be an absolute URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
export const checkoutBody = z
  .object({
    package: z.string().trim().min(1, 'is required').max(50),
    success_url: redirectUrl.optional(),
    cancel_url: redirectUrl.optional(),
  })
  .strict();
export const idempotencyKeyHeader = z
  .string()
  .min(8, 'must be 8 to 200 characters')
  .max(200, 'must be 8 to 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII')
  .optional();

const newPassword = z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters');
const refreshToken = z.string().min(1, 'is required').max(200);
/** Without `X-Session-Cookie: 1` the token must be in the body. */
export const refreshBody = z.strictObject({ refresh_token: refreshToken });
/** As documented: with `X-Session-Cookie: 1` the body may leave it out and the `sb_refresh` cookie is used. */
export const refreshBodyDoc = z.strictObject({
  refresh_token: refreshToken
    .optional()
    .describe('The refresh token; may be left out with `X-Session-Cookie: 1`, which reads the `sb_refresh` cookie'),
});
export const sessionCookieHeader = z
  .literal('1')
  .optional()
  .describe('For browsers: the refresh token travels in the HttpOnly `sb_refresh` cookie, not in JSON');

export const changePasswordBody = z.strictObject({
  current_password: z.string().min(1, 'is required').max(200),
  new_password: newPassword,
});

/** PATCH /user: only the fields sent change; null clears a default. */
export const updateUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).nullable().optional(),
    default_subject: z.string().trim().min(1).max(100).nullable().optional(),
    note_language: languageCode.nullable().optional(),
    assessment: z.boolean({ message: 'must be true or false' }).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one of name, default_subject, note_language, assessment');

/*
 * Replies the gateway shapes itself (the others are a service's contract, renamed to snake_case).
 * Handlers build them through these types, and the OpenAPI document is generated from them.
 */
export const tokenPairReply = z.object({
  user_id: z.string().uuid(),
  access_token: z.string().describe('A JWT for `Authorization: Bearer`'),
  refresh_token: z
    .string()
    .optional()
    .describe(
      'Opaque; spent by /auth/refresh, which answers with a new one. Left out with `X-Session-Cookie: 1` (it is in the `sb_refresh` cookie then)',
    ),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('Seconds the access token lasts'),
  refresh_expires_in: z.number().int().describe('Seconds the refresh token lasts unless used'),
});
export type TokenPairReply = z.infer<typeof tokenPairReply>;

export const meReply = z.object({
  user_id: z.string().uuid(),
  email: z.string(),
  name: z.string().nullable(),
  created_at: z.string(),
});
export const userProfileReply = meReply.extend({
  default_subject: z.string().nullable(),
  note_language: z.string().nullable(),
  assessment: z.boolean().nullable(),
});
export type UserProfileReply = z.infer<typeof userProfileReply>;

export const jwksReply = z.object({
  keys: z.array(
    z.looseObject({ kid: z.string(), kty: z.string(), alg: z.string().optional(), use: z.string().optional() }),
  ),
});
export const stripeWebhookAck = z.object({ received: z.literal(true) });
