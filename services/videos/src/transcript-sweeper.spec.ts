import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { createLocalLeaderLock, LeaderLock } from '@study-buddy/event-store';
import { serviceSpec } from '@study-buddy/service-testing';
import { waitFor } from '@study-buddy/testing';
import { transcriptKey } from './domain/transcript-key';
import { videoStream } from './domain/video.decider';
import { transcriptSweeper } from './transcript-sweeper';

/** Transcripts no recorded video references go once past the grace period; nothing a video uses ever goes. */
describe('transcript sweeper', () => {
  const graceMs = 60 * 60_000;
  const userId = randomUUID();
  let clock: Date;
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;

  const sweeper = (leader: LeaderLock = createLocalLeaderLock(), intervalMs = 60_000) =>
    transcriptSweeper({ blobs, store: spec.store, leader }, { graceMs, intervalMs, now: () => clock });
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const upload = async (videoId: string) => {
    const key = transcriptKey(userId, videoId, randomUUID());
    await blobs.put(key, 'a lecture', 'text/plain');
    return key;
  };
  const recordSubmission = (videoId: string, key: string | undefined) =>
    spec.given([
      {
        stream: videoStream(videoId),
        type: 'VideoSubmitted',
        data: {
          videoId,
          userId,
          youtubeVideoId: 'dQw4w9WgXcQ',
          url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
          transcriptKey: key,
          submittedAt: clock.toISOString(),
        },
      },
    ]);

  beforeEach(() => {
    clock = new Date('2026-12-01T10:00:00Z');
    spec = serviceSpec();
    blobs = createMemoryBlobStore('memory', () => clock);
  });

  it('removes a transcript no video references once it is older than the grace period', async () => {
    const orphan = await upload(randomUUID());
    later(graceMs + 1000);
    expect(await sweeper().sweep()).toEqual({ removed: [orphan] });
    expect(blobs.keys()).toEqual([]);
  });

  it('leaves a transcript younger than the grace period: its submission may still be recording', async () => {
    const videoId = randomUUID();
    const key = await upload(videoId);
    later(graceMs - 1000);
    expect(await sweeper().sweep()).toEqual({ removed: [] });
    // the append lands after the sweep looked: the transcript is referenced and stays for good
    await recordSubmission(videoId, key);
    later(graceMs * 10);
    expect(await sweeper().sweep()).toEqual({ removed: [] });
    expect(blobs.keys()).toEqual([key]);
  });

  it('keeps the transcript the recorded submission references and removes the other attempts of the same video', async () => {
    const videoId = randomUUID();
    const refused = await upload(videoId);
    const recorded = await upload(videoId);
    await recordSubmission(videoId, recorded);
    later(graceMs + 1000);
    expect(await sweeper().sweep()).toEqual({ removed: [refused] });
    expect(blobs.keys()).toEqual([recorded]);
  });

  it('keeps a transcript stored under the earlier one-key-per-video layout while its video references it', async () => {
    const videoId = randomUUID();
    const earlier = `transcripts/${userId}/${videoId}.txt`;
    await blobs.put(earlier, 'a lecture', 'text/plain');
    await recordSubmission(videoId, earlier);
    later(graceMs + 1000);
    expect(await sweeper().sweep()).toEqual({ removed: [] });
  });

  it('leaves objects it did not write alone', async () => {
    await blobs.put(`transcripts/${userId}/notes.md`, 'not ours', 'text/markdown');
    await blobs.put(`notes/${userId}/${randomUUID()}.md`, 'a note', 'text/markdown');
    later(graceMs + 1000);
    expect(await sweeper().sweep()).toEqual({ removed: [] });
    expect(blobs.keys()).toHaveLength(2);
  });

  it('sweeps only in the replica holding the lock, every interval, and releases the lock when stopped', async () => {
    await upload(randomUUID());
    later(graceMs + 1000);
    const release = jest.fn(async () => undefined);
    const other = sweeper({ acquire: async () => false, release, term: 0 }, 20);
    other.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await other.stop();
    expect(blobs.keys()).toHaveLength(1);

    const holder = sweeper({ acquire: async () => true, release, term: 1 }, 20);
    holder.start();
    await waitFor(async () => blobs.keys().length === 0 || undefined, { timeoutMs: 2000, what: 'the sweep' });
    await holder.stop();
    expect(holder.running).toBe(false);
    expect(release).toHaveBeenCalledTimes(2);
  });

  it('stops in the middle of a long listing instead of holding up shutdown', async () => {
    let listed = 0;
    const endless = {
      ...blobs,
      async *list() {
        for (;;) {
          listed += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield { key: `transcripts/${userId}/${randomUUID()}.txt`, lastModified: clock };
        }
      },
    };
    const worker = transcriptSweeper(
      { blobs: endless, store: spec.store, leader: createLocalLeaderLock() },
      { graceMs, intervalMs: 10, now: () => clock },
    );
    worker.start();
    await waitFor(() => listed > 3, { what: 'the sweep to be listing' });
    const started = Date.now();
    await worker.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });
});
