import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { createNatsLiveProgress } from '@study-buddy/messaging';
import { EventStore } from '@study-buddy/event-store';
import {
  BackgroundWorkers,
  EVENT_STORE,
  HealthController,
  NATS_CONNECTION,
  Platform,
  PlatformConfig,
  PlatformModule,
} from '@study-buddy/nest-kit';
import { NatsConnection } from 'nats';
import { noteWriterKind, PROCESSOR_ENV, ProcessorEnv } from './config';
import Anthropic from '@anthropic-ai/sdk';
import { Logger } from '@nestjs/common';
import { OfflineNoteWriter } from './adapters/offline-writer/offline-note-writer';
import { ClaudeNoteWriter } from './adapters/anthropic/claude-note-writer';
import { NoteWriter } from './domain/study-note';
import { processorPublications } from './processor.publications';
import { jobConsumer } from './job-concurrency';
import { youtubeClientFrom } from '@study-buddy/youtube';
import { YouTubeTranscriptSource } from './adapters/youtube/youtube-transcript-source';
import { LIVE_PROGRESS, NOTE_WRITER, TRANSCRIPT_SOURCE, VideoPipeline } from './video-pipeline';

/** Stateless workers: any number of replicas share the durable consumer. */
@Module({})
export class ProcessorModule implements OnModuleInit {
  constructor(
    private readonly platform: Platform,
    private readonly workers: BackgroundWorkers,
    private readonly pipeline: VideoPipeline,
    @Inject(PROCESSOR_ENV) private readonly env: ProcessorEnv,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  static forRoot(config: PlatformConfig, env: ProcessorEnv): DynamicModule {
    return {
      module: ProcessorModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [HealthController],
      providers: [
        { provide: PROCESSOR_ENV, useValue: env },
        // made as the application starts, so it says which writer it is through the application's logger
        { provide: NOTE_WRITER, useFactory: () => noteWriter(env) },
        { provide: TRANSCRIPT_SOURCE, useValue: new YouTubeTranscriptSource(youtubeClientFrom(env)) },
        {
          provide: LIVE_PROGRESS,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => createNatsLiveProgress(nc, config.topology.namespace),
        },
        VideoPipeline,
      ],
    };
  }

  onModuleInit(): void {
    this.workers.register(this.platform.relay(processorPublications));
    this.workers.register(this.platform.consumer(jobConsumer(this.env, this.pipeline, this.store)));
  }
}

/** Claude with a key (or when named), else the offline writer; said at start so an operator knows which one writes. */
export function noteWriter(env: ProcessorEnv): NoteWriter {
  const kind = noteWriterKind(env);
  const logger = new Logger('NoteWriter');
  if (kind === 'offline') {
    logger.log('notes are written by the offline extractive writer (no ANTHROPIC_API_KEY, or NOTE_WRITER=offline)');
    return new OfflineNoteWriter();
  }
  logger.log(
    `notes are written by Claude (${env.ANTHROPIC_MODEL}${env.ANTHROPIC_BASE_URL ? ` at ${env.ANTHROPIC_BASE_URL}` : ''})`,
  );
  return new ClaudeNoteWriter({
    client: new Anthropic({
      apiKey: env.ANTHROPIC_API_KEY,
      baseURL: env.ANTHROPIC_BASE_URL,
      maxRetries: env.ANTHROPIC_MAX_RETRIES,
      timeout: env.ANTHROPIC_TIMEOUT_MS,
    }),
    model: env.ANTHROPIC_MODEL,
    maxOutputTokens: env.ANTHROPIC_MAX_OUTPUT_TOKENS,
    assessmentQuestions: env.ASSESSMENT_QUESTIONS,
    inputTokenBudget: env.ANTHROPIC_INPUT_TOKEN_BUDGET,
  });
}
