import Anthropic from '@anthropic-ai/sdk';
import { PublishedData } from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { EventStore } from '@study-buddy/event-store';
import { Rpc } from '@study-buddy/messaging';
import {
  createRecordingLiveProgress,
  createRecordingRpc,
  integrationEvent,
  notUsed,
} from '@study-buddy/service-testing';
import { FakeAnthropic } from '@study-buddy/testing';
import { ClaudeNoteWriter } from '../src/adapters/anthropic/claude-note-writer';
import { processorEnvSchema, ProcessorEnv } from '../src/config';
import { NoteWriter } from '../src/domain/study-note';
import { TranscriptSource } from '../src/domain/transcript-source';
import { VideoPipeline } from '../src/video-pipeline';

/** What the service-level specs share when they build a pipeline. */

export type Submitted = PublishedData<'videos', 'VideoSubmitted'>;

/**
 * A pipeline for videos that come with their transcript (YouTube is never asked), announcing live progress
 * to a recorder; without a notes service by default, so notes are written without the user's subjects.
 */
export function uploadPipeline(
  deps: { store: EventStore; blobs: BlobStore; writer: NoteWriter },
  options: { env?: ProcessorEnv; rpc?: Rpc } = {},
): VideoPipeline {
  return new VideoPipeline(
    deps.store,
    deps.blobs,
    createRecordingLiveProgress(),
    deps.writer,
    notUsed<TranscriptSource>('TranscriptSource'),
    options.env ?? processorEnvSchema.parse({}),
    options.rpc ?? createRecordingRpc(),
  );
}

/** The Claude writer with the real SDK pointed at the fake Messages API. */
export function fakeClaudeWriter(
  fake: FakeAnthropic,
  options: { apiKey?: string; maxRetries?: number; inputTokenBudget?: number } = {},
): ClaudeNoteWriter {
  return new ClaudeNoteWriter({
    client: new Anthropic({
      apiKey: options.apiKey ?? fake.apiKey,
      baseURL: fake.baseUrl,
      maxRetries: options.maxRetries ?? 1,
    }),
    model: 'claude-sonnet-5-5',
    maxOutputTokens: 4096,
    assessmentQuestions: 6,
    inputTokenBudget: options.inputTokenBudget,
  });
}

/** A submission of a transcript already uploaded at `transcriptKey`. */
export function uploadedSubmission(
  ids: { videoId: string; userId: string },
  transcriptKey: string,
  overrides: Partial<Submitted> = {},
): Submitted {
  return integrationEvent('videos', 'VideoSubmitted', {
    ...ids,
    youtubeVideoId: 'dQw4w9WgXcQ',
    url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    transcriptKey,
    submittedAt: new Date().toISOString(),
    ...overrides,
  }).data as Submitted;
}
