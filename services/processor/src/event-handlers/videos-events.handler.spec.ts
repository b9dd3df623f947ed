import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { createRecordingLiveProgress, deliver, serviceSpec } from '@study-buddy/service-testing';
import { OfflineNoteWriter } from '../adapters/offline-writer/offline-note-writer';
import { processorEnvSchema } from '../config';
import { jobStream } from '../domain/job.decider';
import { VideoPipeline } from '../video-pipeline';
import { videosEventsHandler } from './videos-events.handler';

/** A submitted video starts a job; the pipeline's own spec covers what the job does. */
describe('processor: videos events', () => {
  it('runs the pipeline for a submitted video, with the delivery it came in', async () => {
    const spec = serviceSpec();
    const live = createRecordingLiveProgress();
    const pipeline = new VideoPipeline(
      spec.store,
      createMemoryBlobStore(),
      live,
      new OfflineNoteWriter(),
      processorEnvSchema.parse({}),
    );
    const [userId, videoId] = [randomUUID(), randomUUID()];
    const submitted = {
      videoId,
      userId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      submittedAt: new Date().toISOString(),
    };
    // No transcript on the last delivery: the job fails for good instead of being retried.
    const outcome = await spec.when(() =>
      deliver(videosEventsHandler(pipeline, spec.store), 'videos', 'VideoSubmitted', submitted, {
        attempt: 5,
        maxAttempts: 5,
      }),
    );
    expect(outcome.appended.map((e) => [e.stream, e.type])).toEqual([
      [jobStream(videoId), 'JobStarted'],
      [jobStream(videoId), 'JobProgressed'],
      [jobStream(videoId), 'JobProgressed'],
      [jobStream(videoId), 'JobFailed'],
    ]);
    expect(outcome.appended[3].data).toMatchObject({ failedStep: 'fetching_transcript', retryable: true });
  });
});
