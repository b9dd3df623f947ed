import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  noteIdSeed,
  PROGRESS_MESSAGES,
  PROGRESS_STEPS,
  ProcessorEvent,
  ProcessorEvents,
  ProgressStep,
  PublishedData,
} from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { deterministicId, EventStore, handleCommand } from '@study-buddy/event-store';
import { Delivery, LiveProgress, MessageContext, Rpc } from '@study-buddy/messaging';
import { BLOB_STORE, EVENT_STORE, RPC_CLIENT } from '@study-buddy/nest-kit';
import { PROCESSOR_ENV, ProcessorEnv } from './config';
import { JobCommand, jobDecider, jobStream, TranscriptChoice } from './domain/job.decider';
import { buildAssessment } from './domain/assessment';
import { renderNoteMarkdown } from './domain/note-markdown';
import { ModelCall, modelCallsOf, NoteRequest, NoteWriter } from './domain/study-note';
import { joinLines, TimedText, transcriptToTimedText } from './domain/transcript-text';
import { PipelineError, TransientFailure } from './domain/pipeline-error';
import { SourcedTranscript, TranscriptSource } from './domain/transcript-source';
import { JobCancelledError, stopIfCancelled } from './job-cancellation';
import { jobParts } from './job-parts';
import { stopIfHandedBack } from './job-concurrency';
import { userSubjects } from './user-subjects';
import { countJob, countModelCalls, stepClock } from './pipeline-metrics';

export const NOTE_WRITER = Symbol('NOTE_WRITER');
export const TRANSCRIPT_SOURCE = Symbol('TRANSCRIPT_SOURCE');
export const LIVE_PROGRESS = Symbol('LIVE_PROGRESS');
type Submitted = PublishedData<'videos', 'VideoSubmitted'>;
const MESSAGES = PROGRESS_MESSAGES;

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
    @Inject(TRANSCRIPT_SOURCE) private readonly transcripts: TranscriptSource,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
  ) {}

  async process(video: Submitted, context: MessageContext, delivery: Delivery): Promise<void> {
    const metadata = { ...context, userId: video.userId };
    const videoAttempt = video.attempt ?? 1;
    const run = (command: JobCommand) =>
      handleCommand(this.store, jobStream(video.videoId, videoAttempt), jobDecider, command, {
        metadata,
        schemas: ProcessorEvents,
      });
    const started = await run({
      type: 'StartJob',
      videoId: video.videoId,
      userId: video.userId,
      youtubeVideoId: video.youtubeVideoId,
      videoAttempt,
      now: now(),
    });
    if (started.newEvents.length === 0) {
      // already finished or cancelled: a redelivered submission (whose run may have died before settling the spend)
      if (started.state.status === 'cancelled') await this.settleSpend(run, video.videoId);
      return;
    }

    // a long lecture's finished parts, kept while the job may still be redelivered
    const parts = jobParts(this.blobs, video.videoId, videoAttempt);
    let step: ProgressStep = 'starting';
    const clock = stepClock();
    const advance = async (next: ProgressStep) => {
      stopIfHandedBack(video.videoId, delivery.signal);
      step = next;
      clock.start(step);
      const recorded = await run({
        type: 'RecordProgress',
        videoId: video.videoId,
        step,
        progress: PROGRESS_STEPS[step],
        message: MESSAGES[step],
        now: now(),
      });
      stopIfCancelled(video.videoId, recorded.state);
      this.announce(video.videoId, videoAttempt, step, metadata);
    };

    try {
      await advance('starting');
      await advance('fetching_transcript');
      const { transcript, choice, details } = await this.loadTranscript(video);
      await run({ type: 'RecordTranscript', videoId: video.videoId, ...choice, now: now() });

      await advance('generating_notes');
      // a named subject wins; otherwise the note is filed under one the user has, where it belongs
      const existingSubjects = video.subject ? [] : await userSubjects(this.rpc, video.userId, video.videoId, metadata);
      const request: NoteRequest = {
        transcript: transcript.text,
        timeline: transcript.timeline,
        videoUrl: video.url,
        youtubeVideoId: video.youtubeVideoId,
        subject: video.subject,
        existingSubjects,
        // the captions' language when the user named none: a German video's note is in German
        language: video.language ?? choice.language ?? undefined,
        includeAssessment: false,
        parts,
        // a long lecture's parts: recorded as each is paid for, and no further part starts once the video is cancelled
        // or the job handed back at shutdown
        recordCalls: async (spent) => {
          const recorded = await this.recordCalls(run, video.videoId, spent);
          if (recorded) stopIfCancelled(video.videoId, recorded.state);
          stopIfHandedBack(video.videoId, delivery.signal);
        },
      };
      const note = await clock.within(() => this.writer.write(request));
      await this.recordCalls(run, video.videoId, note.usage ?? []);

      await advance('generating_assessment');
      // The submission says (the user's setting, via the gateway); otherwise the deployment's default.
      if (video.assessment ?? this.env.GENERATE_ASSESSMENT) {
        if (this.writer.assess) {
          const assessed = await clock.within(() => this.writer.assess!(request, note));
          await this.recordCalls(run, video.videoId, assessed.usage);
          note.assessment = assessed.questions;
        } else note.assessment = buildAssessment(note);
      }

      await advance('writing_files');
      const noteId = deterministicId(noteIdSeed(video.videoId)); // the same note for every attempt
      const contentKey = `notes/${video.userId}/${noteId}.md`;
      const markdown = renderNoteMarkdown(note, {
        noteId,
        videoUrl: video.url,
        youtubeVideoId: video.youtubeVideoId,
        createdAt: now(),
        channel: details?.channel ?? undefined,
        durationSeconds: details?.durationSeconds ?? undefined,
      });
      await this.blobs.put(contentKey, markdown, 'text/markdown; charset=utf-8');

      await advance('creating_links');
      const completed = await run({
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
        prices: this.env.ANTHROPIC_PRICES,
        now: now(),
      });
      await parts.clear();
      stopIfCancelled(video.videoId, completed.state);
      clock.end('ok');
      countJob('completed');
      this.announce(video.videoId, videoAttempt, 'completed', metadata);
      this.logUsage(video.videoId, completed.newEvents);
    } catch (e) {
      await this.recordSpentCalls(run, video.videoId, e);
      if (delivery.signal?.aborted) {
        // handed back at shutdown (whatever failed after that): another replica runs the job; no failure here
        clock.abandon();
        this.logger.log(`video ${video.videoId} was handed back at ${step}: another replica takes it`);
        return;
      }
      if (e instanceof JobCancelledError) {
        await this.settleSpend(run, video.videoId);
        await parts.clear();
        clock.end('cancelled');
        countJob('cancelled');
        this.logger.log(`video ${video.videoId} was cancelled: stopped at ${step}`);
        return;
      }
      const known =
        e instanceof PipelineError
          ? e
          : AppError.isAppError(e) && e.httpStatus < 500
            ? new PipelineError(step, e.message, false)
            : null;
      if (!known && delivery.attempt < delivery.maxAttempts) {
        clock.end('retry');
        throw e; // transient: JetStream redelivers with backoff
      }
      clock.end('failed');
      const failure =
        known ??
        (e instanceof TransientFailure
          ? new PipelineError(
              e.step,
              `${e.message}. Gave up after ${delivery.attempt} attempts: retry the video later`,
              true,
            )
          : new PipelineError(
              step,
              `Processing failed after ${delivery.attempt} attempts: ${(e as Error).message}`,
              true,
            ));
      this.logger.warn(`video ${video.videoId} failed at ${failure.step}: ${failure.message}`);
      const failed = await run({
        type: 'FailJob',
        videoId: video.videoId,
        error: failure.message,
        failedStep: failure.step,
        retryable: failure.retryable,
        prices: this.env.ANTHROPIC_PRICES,
        now: now(),
      });
      countJob('failed');
      this.logUsage(video.videoId, failed.newEvents);
      // this attempt is over: a retry of the video is a new attempt, under its own prefix
      await parts.clear();
      this.announce(video.videoId, videoAttempt, step, metadata, failure);
    }
  }

  /** Each model call's tokens, on the job (what the video cost) and in the log (for the operator). */
  private async recordCalls<R>(run: (c: JobCommand) => Promise<R>, videoId: string, calls: ModelCall[]) {
    if (calls.length === 0) return undefined;
    const recorded = await run({ type: 'RecordModelCalls', videoId, calls, now: now() });
    countModelCalls(calls, this.env.ANTHROPIC_PRICES);
    for (const c of calls)
      this.logger.log(
        `video ${videoId} ${c.purpose} call to ${c.model}: ${c.inputTokens} input, ${c.outputTokens} output, ${c.cacheReadTokens} cache-read, ${c.cacheWriteTokens} cache-write tokens`,
      );
    return recorded;
  }

  /** A cancelled job has stopped, every call it made recorded: what they cost goes to videos (and the log). */
  private async settleSpend(run: (c: JobCommand) => Promise<{ newEvents: ProcessorEvent[] }>, videoId: string) {
    const settled = await run({ type: 'SettleSpend', videoId, prices: this.env.ANTHROPIC_PRICES, now: now() });
    this.logUsage(videoId, settled.newEvents);
  }

  /** Calls a failed write had made are billed all the same: record them, without letting that hide the failure. */
  private async recordSpentCalls(run: (c: JobCommand) => Promise<unknown>, videoId: string, e: unknown) {
    const spent = modelCallsOf(e);
    if (spent.length === 0) return;
    await this.recordCalls(run, videoId, spent).catch((recordError: Error) =>
      this.logger.warn(
        `video ${videoId}: the usage of ${spent.length} failed model call(s) was not recorded: ${recordError.message}`,
      ),
    );
  }

  /** The operator's per-video figures: what the attempt cost, every run of it (as the video shows them). */
  private logUsage(videoId: string, ended: ProcessorEvent[]): void {
    for (const e of ended) {
      if ((e.type !== 'JobCompleted' && e.type !== 'JobFailed' && e.type !== 'JobSpendSettled') || !e.data.usage)
        continue;
      const t = e.data.usage;
      const cost =
        t.estimatedCostUsd === null ? 'no price for its model' : `estimated $${t.estimatedCostUsd.toFixed(4)}`;
      const outcome = { JobCompleted: 'completed', JobFailed: 'failed', JobSpendSettled: 'was cancelled' }[e.type];
      this.logger.log(
        `video ${videoId} ${outcome} after ${t.calls} model calls: ${t.inputTokens} input, ${t.outputTokens} output, ${t.cacheReadTokens} cache-read, ${t.cacheWriteTokens} cache-write tokens, ${cost}`,
      );
    }
  }

  /**
   * The uploaded transcript when the submission carries one (it wins, with its
   * own timings if SRT/WebVTT), else the captions from the transcript source.
   */
  private async loadTranscript(
    video: Submitted,
  ): Promise<{ transcript: TimedText; choice: TranscriptChoice; details?: SourcedTranscript['video'] }> {
    if (!video.transcriptKey) {
      const fetched = await this.transcripts.fetch({ youtubeVideoId: video.youtubeVideoId, language: video.language });
      const transcript = joinLines(fetched.lines);
      if (!transcript.text)
        throw new PipelineError('fetching_transcript', 'The video’s captions contain no text', false);
      return {
        transcript,
        details: fetched.video,
        choice: {
          source: 'youtube',
          ...fetched.track,
          segments: fetched.lines.length,
          timestamped: transcript.timeline.length > 0,
        },
      };
    }
    const raw = await this.blobs.getText(video.transcriptKey);
    if (raw === null)
      throw new PipelineError('fetching_transcript', 'The uploaded transcript could not be found in storage', true);
    const transcript = transcriptToTimedText(raw);
    if (!transcript.text)
      throw new PipelineError(
        'fetching_transcript',
        'The transcript contains no text once captions markup is removed',
        false,
      );
    return {
      transcript,
      choice: {
        source: 'upload',
        language: video.language ?? null,
        kind: 'upload',
        translatedFrom: null,
        segments: transcript.timeline.length,
        timestamped: transcript.timeline.length > 0,
      },
    };
  }

  /** Live progress for SSE (with the user, whose streams the gateway routes it to); best effort, the durable record is the job stream. */
  private announce(
    videoId: string,
    attempt: number,
    step: ProgressStep,
    context: MessageContext,
    failure?: PipelineError,
  ): void {
    this.live.publish(
      failure
        ? {
            video_id: videoId,
            attempt,
            status: 'failed',
            step: failure.step,
            progress: PROGRESS_STEPS[failure.step],
            error: failure.message,
            retryable: failure.retryable,
          }
        : {
            video_id: videoId,
            attempt,
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
