import { z } from 'zod';
import { MAX_TRANSCRIPT_BYTES, MAX_TRANSCRIPT_CHARS, videoStatusSchema } from '@study-buddy/contracts';

/** Request shapes of the public REST API (snake_case), validated before anything is forwarded. */

export const registerBody = z.object({
  email: z.string().trim().max(254).email('must be a valid e-mail address'),
  password: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
  name: z.string().trim().min(1).max(200).optional(),
});

export const loginBody = z.object({
  email: z.string().trim().max(254),
  password: z.string().min(1).max(200),
});

export const submitVideoBody = z.object({
  url: z.string().trim().min(1, 'is required').max(2048),
  transcript: z
    .string()
    .max(MAX_TRANSCRIPT_CHARS, `must be at most ${MAX_TRANSCRIPT_CHARS} characters`)
    .refine(
      (t) => Buffer.byteLength(t, 'utf8') <= MAX_TRANSCRIPT_BYTES,
      `must be at most ${MAX_TRANSCRIPT_BYTES} bytes`,
    )
    .refine((t) => t.trim().length > 0, 'must not be empty')
    .optional(),
  subject: z.string().trim().min(1).max(100).optional(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en or pt-BR')
    .optional(),
  assessment: z.boolean({ message: 'must be true or false' }).optional(),
});

const limit = z.coerce
  .number({ message: 'must be a number' })
  .int()
  .min(1, 'must be between 1 and 100')
  .max(100, 'must be between 1 and 100')
  .default(20);
const cursor = z.string().max(200).optional();

export const listVideosQuery = z.object({ status: videoStatusSchema.optional(), cursor, limit });
export const listNotesQuery = z.object({ subject: z.string().trim().min(1).max(100).optional(), cursor, limit });
export const getNoteQuery = z.object({
  include_content: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

const newPassword = z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters');
const languageCode = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en or pt-BR');

export const refreshBody = z.strictObject({ refresh_token: z.string().min(1, 'is required').max(200) });

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
