import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, PROGRESS_STEPS, ProcessorEvents, ProgressStep, PublishedData } from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { deterministicId, EventStore, handleCommand } from '@study-buddy/event-store';
import { Delivery, LiveProgress, MessageContext } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE } from '@study-buddy/nest-kit';
import { PROCESSOR_ENV, ProcessorEnv } from './config';
import { JobCommand, jobDecider, jobStream } from './domain/job.decider';
import { buildAssessment } from './domain/assessment';
import { renderNoteMarkdown } from './domain/note-markdown';
import { NoteWriter } from './domain/study-note';
import { transcriptToText } from './domain/transcript-text';
import { PipelineError } from './domain/pipeline-error';

export const NOTE_WRITER = Symbol('NOTE_WRITER');
export const LIVE_PROGRESS = Symbol('LIVE_PROGRESS');
type Submitted = PublishedData<'videos', 'VideoSubmitted'>;
const MESSAGES: Record<ProgressStep, string> = {
  starting: 'Starting',
  fetching_transcript: 'Reading the transcript',
  generating_notes: 'Writing study notes',
  generating_assessment: 'Writing assessment questions',
  writing_files: 'Saving the note',
  creating_links: 'Linking to your other notes',
  completed: 'Done',
};

/**
 * Turns a submitted video into a stored note: transcript → notes → assessment
 * → Markdown in object storage → JobCompleted. Every step is recorded as
 * progress (durable, in the job stream) and announced live on
 * `progress.<videoId>`. Each step can be re-run: the note id derives from the
 * video id, so a retried job overwrites the same object and completes once.
 */
@Injectable()
export class VideoPipeline {
  private readonly logger = new Logger('Pipeline');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(LIVE_PROGRESS) private readonly live: LiveProgress,
    @Inject(NOTE_WRITER) private readonly writer: NoteWriter,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
  ) {}

  async process(video: Submitted, context: MessageContext, delivery: Delivery): Promise<void> {
    const metadata = { ...context, userId: video.userId };
    const run = (command: JobCommand) =>
      handleCommand(this.store, jobStream(video.videoId), jobDecider, command, {
        metadata,
        schemas: ProcessorEvents,
      });
    const started = await run({
      type: 'StartJob',
      videoId: video.videoId,
      userId: video.userId,
      youtubeVideoId: video.youtubeVideoId,
      now: now(),
    });
    if (started.newEvents.length === 0) return; // already finished: a redelivered submission

    let step: ProgressStep = 'starting';
    const advance = async (next: ProgressStep) => {
      step = next;
      await run({
        type: 'RecordProgress',
        videoId: video.videoId,
        step,
        progress: PROGRESS_STEPS[step],
        message: MESSAGES[step],
        now: now(),
      });
      this.announce(video.videoId, step, context);
    };

    try {
      await advance('starting');
      await advance('fetching_transcript');
      const transcript = await this.loadTranscript(video);

      await advance('generating_notes');
      const note = await this.writer.write({
        transcript,
        videoUrl: video.url,
        youtubeVideoId: video.youtubeVideoId,
        subject: video.subject,
        language: video.language,
        includeAssessment: false,
      });

      await advance('generating_assessment');
      // The submission says (the user's setting, via the gateway); otherwise the deployment's default.
      if (video.assessment ?? this.env.GENERATE_ASSESSMENT) note.assessment = buildAssessment(note);

      await advance('writing_files');
      const noteId = deterministicId(`note/${video.videoId}`);
      const contentKey = `notes/${video.userId}/${noteId}.md`;
      const markdown = renderNoteMarkdown(note, {
        noteId,
        videoUrl: video.url,
        youtubeVideoId: video.youtubeVideoId,
        createdAt: now(),
      });
      await this.blobs.put(contentKey, markdown, 'text/markdown; charset=utf-8');

      await advance('creating_links');
      await run({
        type: 'CompleteJob',
        videoId: video.videoId,
        noteId,
        youtubeVideoId: video.youtubeVideoId,
        videoUrl: video.url,
        contentKey,
        note: {
          title: note.title,
          subject: note.subject,
          tags: note.tags,
          concepts: note.concepts.map((c) => c.term),
          language: note.language,
          wordCount: note.wordCount,
          summary: note.summary.slice(0, 2000),
        },
        now: now(),
      });
      this.announce(video.videoId, 'completed', context);
    } catch (e) {
      const known =
        e instanceof PipelineError
          ? e
          : AppError.isAppError(e) && e.httpStatus < 500
            ? new PipelineError(step, e.message, false)
            : null;
      if (!known && delivery.attempt < delivery.maxAttempts) throw e; // transient: JetStream redelivers with backoff
      const failure =
        known ??
        new PipelineError(step, `Processing failed after ${delivery.attempt} attempts: ${(e as Error).message}`, true);
      this.logger.warn(`video ${video.videoId} failed at ${failure.step}: ${failure.message}`);
      await run({
        type: 'FailJob',
        videoId: video.videoId,
        error: failure.message,
        failedStep: failure.step,
        retryable: failure.retryable,
        now: now(),
      });
      this.announce(video.videoId, step, context, failure);
    }
  }

  private async loadTranscript(video: Submitted): Promise<string> {
    if (!video.transcriptKey) {
      throw new PipelineError(
        'fetching_transcript',
        'No transcript was supplied with this video and fetching transcripts from YouTube is not enabled on this server: submit it again with a transcript',
        true,
      );
    }
    const raw = await this.blobs.getText(video.transcriptKey);
    if (raw === null)
      throw new PipelineError('fetching_transcript', 'The uploaded transcript could not be found in storage', true);
    const text = transcriptToText(raw);
    if (!text)
      throw new PipelineError(
        'fetching_transcript',
        'The transcript contains no text once captions markup is removed',
        false,
      );
    return text;
  }

  /** Live progress for SSE; best effort, the durable record is the job stream. */
  private announce(videoId: string, step: ProgressStep, context: MessageContext, failure?: PipelineError): void {
    this.live.publish(
      failure
        ? {
            video_id: videoId,
            status: 'failed',
            step: failure.step,
            progress: PROGRESS_STEPS[failure.step],
            error: failure.message,
            retryable: failure.retryable,
          }
        : {
            video_id: videoId,
            status: step === 'completed' ? 'completed' : 'processing',
            step,
            progress: PROGRESS_STEPS[step],
            message: MESSAGES[step],
          },
      context,
    );
  }
}

const now = () => new Date().toISOString();
