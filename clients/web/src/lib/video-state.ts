import type { ProgressUpdate, Video } from '../api';

/** A stream update describes the video better than its row when it is of a later attempt, or as late. */
export function isNewer(live: ProgressUpdate, video: Video): boolean {
  if (live.attempt !== undefined && live.attempt !== video.attempt) return live.attempt > video.attempt;
  return Date.parse(live.at) >= Date.parse(video.updated_at);
}
