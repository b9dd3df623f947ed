import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { eventSubject, PublishedData } from '@study-buddy/contracts';
import { createMemoryBlobStore } from '@study-buddy/blob-store';
import {
  createMemoryProcessedEvents,
  createSubscriptionConsumer,
  defaultTopology,
  DurableConsumer,
  ensureStreams,
  MessagingTopology,
} from '@study-buddy/messaging';
import { integrationEvent, serviceSpec } from '@study-buddy/service-testing';
import {
  FakeAnthropic,
  LECTURE_SENTENCES,
  startFakeAnthropic,
  testNatsUrl,
  uniqueNamespace,
  waitFor,
} from '@study-buddy/testing';
import { ClaudeNoteWriter } from './adapters/anthropic/claude-note-writer';
import { processorEnvSchema } from './config';
import { jobStream } from './domain/job.decider';
import { NoteRequest, NoteWriter } from './domain/study-note';
import { jobConsumer } from './job-concurrency';
import { fakeClaudeWriter, uploadPipeline } from '../test/pipelines';

type Submitted = PublishedData<'videos', 'VideoSubmitted'>;
const codec = JSONCodec<unknown>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const srtTime = (s: number) =>
  `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},000`;
const srt = LECTURE_SENTENCES.map(
  (text, i) => `${i + 1}\n${srtTime(3 + i * 7)} --> ${srtTime(9 + i * 7)}\n${text}\n`,
).join('\n');

/** When each note was being written, per video: what "overlap" is measured on. */
class TimedWriter implements NoteWriter {
  readonly name = 'timed';
  readonly spans = new Map<string, { start: number; end?: number }>();
  constructor(private readonly inner: ClaudeNoteWriter) {}
  async write(request: NoteRequest) {
    const span: { start: number; end?: number } = { start: Date.now() };
    this.spans.set(request.youtubeVideoId, span);
    try {
      return await this.inner.write(request);
    } finally {
      span.end = Date.now();
    }
  }
  assess: NonNullable<NoteWriter['assess']> = (request, note) => this.inner.assess(request, note);
}

/**
 * Processor replicas as the service runs them (jobConsumer: JOB_CONCURRENCY, the drain bound) on real NATS,
 * sharing one event store, object store and processed-events table, writing with Claude through the fake.
 */
describe('processor replicas on JetStream: jobs in parallel, handed back at shutdown', () => {
  let fake: FakeAnthropic;
  let nc: NatsConnection;
  let topology: MessagingTopology;
  let spec: ReturnType<typeof serviceSpec>;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let processed: ReturnType<typeof createMemoryProcessedEvents>;
  const running: DurableConsumer[] = [];

  beforeAll(() => Logger.overrideLogger(false));
  beforeAll(async () => (fake = await startFakeAnthropic()));
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    const ns = uniqueNamespace();
    topology = defaultTopology({
      namespace: ns.subjects,
      eventsStream: `${ns.streams}EVENTS`,
      deadLetterStream: `${ns.streams}DLQ`,
    });
    nc = await connect({ servers: testNatsUrl() });
    await ensureStreams(nc, topology);
    spec = serviceSpec();
    blobs = createMemoryBlobStore();
    processed = createMemoryProcessedEvents();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(topology.eventsStream).catch(() => undefined);
    await jsm.streams.delete(topology.deadLetterStream).catch(() => undefined);
    await nc.close();
  });

  /** One replica: the service's own consumer wiring over its settings. */
  async function replica(settings: Record<string, string>) {
    const env = processorEnvSchema.parse({ JOB_ACK_WAIT_MS: '5000', ...settings });
    const writer = new TimedWriter(fakeClaudeWriter(fake, { maxRetries: 0 }));
    const pipeline = uploadPipeline({ store: spec.store, blobs, writer }, { env });
    const consumer = createSubscriptionConsumer({
      ...jobConsumer(env, pipeline, spec.store),
      nc,
      topology,
      processed,
      pullExpiresMs: 1000,
    });
    running.push(consumer);
    await consumer.start();
    return { consumer, writer };
  }

  async function submit(): Promise<Submitted> {
    const videoId = randomUUID();
    const userId = randomUUID();
    await blobs.put(`transcripts/${userId}/${videoId}.srt`, srt, 'text/plain');
    const event = integrationEvent('videos', 'VideoSubmitted', {
      videoId,
      userId,
      youtubeVideoId: videoId.slice(0, 11),
      url: `https://www.youtube.com/watch?v=${videoId.slice(0, 11)}`,
      transcriptKey: `transcripts/${userId}/${videoId}.srt`,
      submittedAt: new Date().toISOString(),
    });
    await nc
      .jetstream()
      .publish(eventSubject(topology.namespace, 'videos', 'VideoSubmitted'), codec.encode(event), { msgID: event.id });
    return event.data;
  }
  const jobEvents = async (video: Submitted) =>
    (await spec.store.readStream(jobStream(video.videoId))).map((e) => e.type);
  const completed = async (video: Submitted) => (await jobEvents(video)).includes('JobCompleted');
  const overlaps = (a: { start: number; end?: number }, b: { start: number; end?: number }) =>
    Math.max(a.start, b.start) < Math.min(a.end!, b.end!);

  it('runs two jobs at once with JOB_CONCURRENCY=2, and one after the other with 1', async () => {
    fake.setDefault({ kind: 'default', delayMs: 1500 });
    const parallel = await replica({ JOB_CONCURRENCY: '2' });
    const [a, b] = [await submit(), await submit()];
    await waitFor(async () => (await completed(a)) && (await completed(b)), { what: 'both jobs completed' });
    const spans = parallel.writer.spans;
    expect(overlaps(spans.get(a.youtubeVideoId)!, spans.get(b.youtubeVideoId)!)).toBe(true);
    await parallel.consumer.stop();

    const serial = await replica({ JOB_CONCURRENCY: '1' });
    const [c, d] = [await submit(), await submit()];
    await waitFor(async () => (await completed(c)) && (await completed(d)), { what: 'both jobs completed' });
    expect(overlaps(serial.writer.spans.get(c.youtubeVideoId)!, serial.writer.spans.get(d.youtubeVideoId)!)).toBe(
      false,
    );
    for (const video of [a, b, c, d])
      expect((await jobEvents(video)).filter((t) => t === 'JobStarted')).toHaveLength(1);
  }, 30_000);

  it('on shutdown (SIGTERM stops the workers) hands back jobs that outlast the drain bound: another replica completes them at once, none fails', async () => {
    fake.setDefault({ kind: 'default', delayMs: 4000 });
    // SHUTDOWN_TIMEOUT_MS less the margin: a drain bound of 500 ms
    const settings = { JOB_CONCURRENCY: '2', JOB_ACK_WAIT_MS: '30000' };
    const first = await replica({ ...settings, SHUTDOWN_TIMEOUT_MS: '5500' });
    const videos = [await submit(), await submit()];
    await waitFor(() => fake.requests.length === 2, { what: 'both note calls in flight' });
    const stopping = Date.now();
    await first.consumer.stop();
    // the bound plus the current pull's 1 s expiry, not the jobs' two 4 s calls
    expect(Date.now() - stopping).toBeLessThan(4000);

    const takenOver = Date.now();
    const second = await replica(settings);
    await waitFor(async () => (await completed(videos[0])) && (await completed(videos[1])), {
      what: 'the handed-back jobs completed by the other replica',
      timeoutMs: 25_000,
    });
    // two calls of 4 s each: taken at once, not after the 30 s ack wait an unacknowledged job would need
    expect(Date.now() - takenOver).toBeLessThan(20_000);
    for (const video of videos) expect(second.writer.spans.has(video.youtubeVideoId)).toBe(true);
    // the first replica's abandoned jobs get their note, then stop at the next step without recording a failure
    await waitFor(() => [...first.writer.spans.values()].every((s) => s.end !== undefined), {
      what: 'both ended',
      timeoutMs: 15_000,
    });
    await sleep(300);
    for (const video of videos) {
      const types = await jobEvents(video);
      expect(types.filter((t) => t === 'JobStarted')).toHaveLength(2);
      expect(types.filter((t) => t === 'JobCompleted')).toHaveLength(1);
      expect(types).not.toContain('JobFailed');
    }
  }, 60_000);
});
