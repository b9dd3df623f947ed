import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';
import { DEFAULT_CLIENT_ORDER, DEFAULT_YOUTUBE_BASE_URL, parseClientOrder } from '@study-buddy/youtube';

export const processorEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8082),
  /** `offline` writes extractive notes with no API key. */
  NOTE_WRITER: z.enum(['offline']).default('offline'),
  GENERATE_ASSESSMENT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How long a job may run between heartbeats before JetStream hands it to another worker. */
  JOB_ACK_WAIT_MS: z.coerce.number().int().min(5000).max(3_600_000).default(60_000),
  /** Where YouTube is; only tests and the system test point it at a local fake. */
  YOUTUBE_BASE_URL: z.string().url().default(DEFAULT_YOUTUBE_BASE_URL),
  /** HTTP(S) proxy for all YouTube traffic (datacenter IPs are often blocked); unset: direct. */
  YOUTUBE_PROXY_URL: z
    .string()
    .url()
    .refine((v) => /^https?:/i.test(v), 'must be an http:// or https:// proxy URL')
    .optional(),
  /** InnerTube clients to ask for caption tracks, in order (those that need no PO token first). */
  YOUTUBE_CLIENTS: z
    .string()
    .default(DEFAULT_CLIENT_ORDER.join(','))
    .transform((v, ctx) => {
      try {
        return parseClientOrder(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  /** Timeout of each YouTube request, body included. */
  YOUTUBE_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
});
export type ProcessorEnv = z.infer<typeof processorEnvSchema>;
export const loadProcessorEnv = () => loadEnv(processorEnvSchema);
export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
