import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';
import { youtubeEnvShape } from '@study-buddy/youtube';

export const videosEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  /** How often one replica looks for transcript objects no recorded video references. */
  TRANSCRIPT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(900_000),
  /**
   * How old such an object must be before it goes: far longer than any submission takes from its upload
   * to its append (a reservation and an append, each bounded by RPC_TIMEOUT_MS and the database timeouts).
   */
  TRANSCRIPT_SWEEP_GRACE_MS: z.coerce.number().int().min(1000).max(604_800_000).default(3_600_000),
  /**
   * The longest a submitted video's YouTube details wait for the event loop to calm down (under a third
   * busy) before they are recorded anyway. Recording one (YouTube's ~200 KB player response parsed, the
   * thumbnail stored, an append) while submissions arrive stalls them: at 5 s, 100 a second saw a stall
   * of 60–300 ms every few seconds. Nobody waits for the details; only starvation is bounded.
   */
  VIDEO_INFO_MAX_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  // videos reads a link's details, its thumbnail and playlists from YouTube
  ...youtubeEnvShape,
  /** The most videos one playlist request reads and submits. */
  PLAYLIST_MAX_VIDEOS: z.coerce.number().int().min(1).max(5000).default(200),
});
export type VideosEnv = z.infer<typeof videosEnvSchema>;
export const loadVideosEnv = () => loadEnv(videosEnvSchema);
export const VIDEOS_ENV = Symbol('VIDEOS_ENV');
