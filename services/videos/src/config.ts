import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';
import { DEFAULT_CLIENT_ORDER, DEFAULT_YOUTUBE_BASE_URL, parseClientOrder } from '@study-buddy/youtube';

export const videosEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  /** How often one replica looks for transcript objects no recorded video references. */
  TRANSCRIPT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(900_000),
  /**
   * How old such an object must be before it goes: far longer than any submission takes from its upload
   * to its append (a reservation and an append, each bounded by RPC_TIMEOUT_MS and the database timeouts).
   */
  TRANSCRIPT_SWEEP_GRACE_MS: z.coerce.number().int().min(1000).max(604_800_000).default(3_600_000),
  // The same YouTube settings as the processor's: videos reads a link's details and thumbnail.
  /** Where YouTube is; only tests and the system test point it at a local fake. */
  YOUTUBE_BASE_URL: z.string().url().default(DEFAULT_YOUTUBE_BASE_URL),
  /** HTTP(S) proxy for all YouTube traffic (datacenter IPs are often blocked); unset: direct. */
  YOUTUBE_PROXY_URL: z
    .string()
    .url()
    .refine((v) => /^https?:/i.test(v), 'must be an http:// or https:// proxy URL')
    .optional(),
  /** InnerTube clients to ask, in order. */
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
  /** The most videos one playlist request reads and submits. */
  PLAYLIST_MAX_VIDEOS: z.coerce.number().int().min(1).max(5000).default(200),
  /** Timeout of each YouTube request, body included. */
  YOUTUBE_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
});
export type VideosEnv = z.infer<typeof videosEnvSchema>;
export const loadVideosEnv = () => loadEnv(videosEnvSchema);
export const VIDEOS_ENV = Symbol('VIDEOS_ENV');
