import { z } from 'zod';
import { DEFAULT_YOUTUBE_BASE_URL, YouTubeClient } from './client';
import { DEFAULT_CLIENT_ORDER, parseClientOrder } from './clients';

/** The YouTube settings of every service that calls YouTube (processor: captions; videos: info, playlists). */
export const youtubeEnvShape = {
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
};
export type YouTubeEnv = z.infer<z.ZodObject<typeof youtubeEnvShape>>;

/** The client those settings describe. */
export const youtubeClientFrom = (env: YouTubeEnv) =>
  new YouTubeClient({
    baseUrl: env.YOUTUBE_BASE_URL,
    proxyUrl: env.YOUTUBE_PROXY_URL,
    clients: env.YOUTUBE_CLIENTS,
    timeoutMs: env.YOUTUBE_TIMEOUT_MS,
  });
