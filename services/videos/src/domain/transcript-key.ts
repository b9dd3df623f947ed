/**
 * Where a submission's transcript is stored. Each attempt writes its own key, so a retry of a refused or
 * failed submission never rewrites an object the sweep is about to remove: a key once listed as old stays old.
 */
export const TRANSCRIPTS_PREFIX = 'transcripts/';

export function transcriptKey(userId: string, videoId: string, attemptId: string): string {
  return `${TRANSCRIPTS_PREFIX}${userId}/${videoId}/${attemptId}.txt`;
}

// the video id of a key, in the per-attempt layout or the earlier one (`transcripts/<user>/<video>.txt`)
const KEY = /^transcripts\/[^/]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/[^/]+)?\.txt$/;

/** The video a transcript key belongs to, or null for a key this service did not write. */
export function videoIdOfTranscriptKey(key: string): string | null {
  return KEY.exec(key)?.[1] ?? null;
}
