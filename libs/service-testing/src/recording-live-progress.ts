import { LiveProgressUpdate, liveProgressUpdate } from '@study-buddy/contracts';
import { LiveProgress, MessageContext } from '@study-buddy/messaging';

/**
 * Live progress as a spec sees it: every announcement is recorded in order,
 * with its context. Each update is checked against the `progress.<videoId>`
 * contract first, so a spec cannot pass on a shape the gateway could not read.
 */
export function createRecordingLiveProgress(): LiveProgress & {
  readonly published: Array<{ update: LiveProgressUpdate; context: MessageContext }>;
  updatesFor(videoId: string): LiveProgressUpdate[];
} {
  const published: Array<{ update: LiveProgressUpdate; context: MessageContext }> = [];
  return {
    published,
    publish(update, context = {}) {
      const parsed = liveProgressUpdate.safeParse(update);
      if (!parsed.success) throw new Error(`Live progress update breaks its contract: ${parsed.error.message}`);
      published.push({ update: structuredClone(parsed.data), context: { ...context } });
    },
    updatesFor: (videoId) => published.filter((p) => p.update.video_id === videoId).map((p) => p.update),
  };
}
