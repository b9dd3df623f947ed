import { randomUUID } from 'node:crypto';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import { createRecordingLiveProgress, deliver, serviceSpec, createRecordingRpc } from '@study-buddy/service-testing';
import { OfflineNoteWriter } from '../adapters/offline-writer/offline-note-writer';
import { processorEnvSchema } from '../config';
import { jobStream } from '../domain/job.decider';
import { TransientFailure } from '../domain/pipeline-error';
import { TranscriptSource } from '../domain/transcript-source';
import { VideoPipeline } from '../video-pipeline';
import { videosEventsHandler } from './videos-events.handler';

const unreachableYouTube: TranscriptSource = {
  name: 'unreachable',
  fetch: () => Promise.reject(new TransientFailure('fetching_transcript', 'YouTube could not be reached', 'network')),
};

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
      unreachableYouTube,
      processorEnvSchema.parse({}),
      createRecordingRpc(), // no notes service: written without the user's subjects
    );
    const [userId, videoId] = [randomUUID(), randomUUID()];
    const submitted = {
      videoId,
      userId,
      youtubeVideoId: 'dQw4w9WgXcQ',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      submittedAt: new Date().toISOString(),
    };
    // YouTube unreachable on the last delivery: the job fails (retryable) instead of being redelivered.
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
