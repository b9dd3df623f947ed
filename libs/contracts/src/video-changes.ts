import { z } from 'zod';

/**
 * `videos.changed.<videoId>` (core NATS, not durable): videos announces that a video's read-model row
 * changed, after the projection's transaction committed. `version` is the store position of the last
 * event applied to the row, so it only grows for one video. Caches of video views (the gateway's) drop
 * the video on it; a lost notice is why such caches also bound an entry's age.
 */
export const videoChangeNotice = z.object({
  video_id: z.string().uuid(),
  version: z.string().regex(/^\d{1,20}$/),
});
export type VideoChangeNotice = z.infer<typeof videoChangeNotice>;
