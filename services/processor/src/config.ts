import { z } from 'zod';
import { baseEnvSchema, ConfigError, loadEnv } from '@study-buddy/config';

/** A current Sonnet model the pinned SDK knows. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
import { DEFAULT_PRICES } from './domain/usage-cost';
import { youtubeEnvShape } from '@study-buddy/youtube';

const price = z.number().min(0).max(10_000);
const priceTableSchema = z.record(
  z.string().min(1).max(100),
  z.object({ input: price, output: price, cacheRead: price, cacheWrite: price }).strict(),
);
const safeJson = (v: string): unknown => {
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
};

export const processorEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8082),
  /** `claude` writes notes with Anthropic's API; `offline` extractive notes with no key. Unset: claude when a key is set. */
  NOTE_WRITER: z.enum(['claude', 'offline']).optional(),
  /** From a Secret; never logged. */
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_MODEL: z.string().min(1).max(100).default(DEFAULT_ANTHROPIC_MODEL),
  /** The SDK's own setting; only tests and the system test point it at a local fake. */
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  /** Output-token limit of each Claude call; calls are streamed, so up to the 64k current Sonnet models write. */
  ANTHROPIC_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(1024).max(64_000).default(8192),
  /** Longest wait for a Claude call's answer to begin, or between two events of its stream (then it times out, transient). */
  ANTHROPIC_TIMEOUT_MS: z.coerce.number().int().min(1000).max(900_000).default(180_000),
  /** The SDK's retries of 408/409/429/5xx/529 per call, honouring retry-after, before JetStream redelivers. */
  ANTHROPIC_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** JSON: model id (or `*`) → USD per million input, output, cacheRead and cacheWrite tokens; for the cost estimate. */
  ANTHROPIC_PRICES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return DEFAULT_PRICES;
      const parsed = priceTableSchema.safeParse(safeJson(v));
      if (parsed.success) return parsed.data;
      ctx.addIssue({
        code: 'custom',
        message: 'must be JSON like {"*":{"input":3,"output":15,"cacheRead":0.3,"cacheWrite":3.75}}',
      });
      return z.NEVER;
    }),
  /**
   * Estimated input tokens one Claude request may carry (a conservative local estimate, see token-estimate.ts);
   * a longer transcript is written in parts and combined. Far below the model's 200k context: a long call is
   * slow, and a note from one huge request covers the lecture thinly within one answer's output limit.
   */
  ANTHROPIC_INPUT_TOKEN_BUDGET: z.coerce.number().int().min(8000).max(180_000).default(40_000),
  /** How many questions the Claude assessment asks. */
  ASSESSMENT_QUESTIONS: z.coerce.number().int().min(1).max(12).default(6),
  GENERATE_ASSESSMENT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How long a job may run between heartbeats before JetStream hands it to another worker. */
  JOB_ACK_WAIT_MS: z.coerce.number().int().min(5000).max(3_600_000).default(60_000),
  /** Jobs one replica runs at once, each on its own JetStream message (they mostly wait on Claude). */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  ...youtubeEnvShape,
});
export type ProcessorEnv = z.infer<typeof processorEnvSchema>;

/** The writer in use: the one named, else Claude when there is a key. */
export const noteWriterKind = (env: ProcessorEnv): 'claude' | 'offline' =>
  env.NOTE_WRITER ?? (env.ANTHROPIC_API_KEY ? 'claude' : 'offline');

export const loadProcessorEnv = () => {
  const env = loadEnv(processorEnvSchema);
  if (noteWriterKind(env) === 'claude' && !env.ANTHROPIC_API_KEY)
    throw new ConfigError(['ANTHROPIC_API_KEY: required when NOTE_WRITER is claude']);
  return env;
};
export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
