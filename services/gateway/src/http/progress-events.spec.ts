import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { AppError, LiveProgressUpdate, progressSubject, RPC, VideoHistoryEntry } from '@study-buddy/contracts';
import { contextHeaders } from '@study-buddy/messaging';
import { createHttpApp, NATS_CONNECTION, PLATFORM_CONFIG, RPC_CLIENT } from '@study-buddy/nest-kit';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { openSseStream, uniqueNamespace } from '@study-buddy/testing';
import { AccessTokens } from '../auth/access-tokens';
import { JwtAuthGuard } from '../auth/auth.guard';
import { generateSigningKeyPem, parseSigningKeys } from '../auth/signing-keys';
import { ACCESS_TOKENS } from '../sessions/sessions.service';
import { GATEWAY_ENV } from '../config';
import { LiveProgressHub } from '../live/live-progress.hub';
import { ProgressEventsController } from './progress-events.controller';

const tokens = new AccessTokens(parseSigningKeys(generateSigningKeyPem()), 900);
const namespace = uniqueNamespace().subjects;
const codec = JSONCodec<LiveProgressUpdate>();

/** The SSE routes on the real NATS (live updates) with videos' history answered by a recording fake. */
describe('live progress streams', () => {
  let app: NestFastifyApplication;
  let nc: NatsConnection;
  let base: string;
  let token: string;
  const userId = randomUUID();
  const rpc = createRecordingRpc();
  const histories = new Map<string, VideoHistoryEntry[]>();

  const entry = (videoId: string, seq: number, extra: Partial<VideoHistoryEntry> = {}): VideoHistoryEntry => ({
    videoId,
    attempt: 1,
    seq,
    status: seq === 0 ? 'queued' : seq === 100 ? 'completed' : 'processing',
    step: seq === 0 ? null : seq === 10 ? 'starting' : seq === 25 ? 'fetching_transcript' : 'generating_notes',
    progress: seq,
    message: `at ${seq}`,
    noteId: null,
    error: null,
    at: new Date().toISOString(),
    ...extra,
  });
  const publish = (update: LiveProgressUpdate) =>
    nc.publish(progressSubject(namespace, update.video_id), codec.encode(update), {
      headers: contextHeaders({ userId }),
    });
  const processing = (
    videoId: string,
    step: 'starting' | 'fetching_transcript' | 'generating_notes',
    progress: number,
  ) => publish({ video_id: videoId, status: 'processing', step, progress, message: step });
  const open = (path: string, headers: Record<string, string> = {}) =>
    openSseStream(`${base}${path}`, { authorization: `Bearer ${token}`, ...headers });

  @Module({
    controllers: [ProgressEventsController],
    providers: [
      { provide: APP_GUARD, useClass: JwtAuthGuard },
      { provide: ACCESS_TOKENS, useValue: tokens },
      { provide: RPC_CLIENT, useValue: rpc },
      { provide: NATS_CONNECTION, useFactory: () => nc },
      { provide: PLATFORM_CONFIG, useValue: { topology: { namespace } } },
      { provide: GATEWAY_ENV, useValue: { SSE_MAX_CONNECTIONS_PER_USER: 2, SSE_HEARTBEAT_MS: 300 } },
      LiveProgressHub,
    ],
  })
  class SseTestModule {}

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    rpc.respond(RPC.videos.history, (data) => {
      // as videos answers: the current attempt's entries, all of them when `after` is of an earlier attempt
      const { videoId, after, attempt } = data as { videoId: string; after: number; attempt?: number };
      const items = histories.get(videoId);
      if (!items) throw new AppError('not_found', 'Video not found');
      const current = items[0].attempt;
      if (attempt !== undefined && attempt > current) return { items: [] };
      const from = attempt === undefined || attempt === current ? after : -1;
      return { items: items.filter((e) => e.seq > from) };
    });
    rpc.respond(RPC.videos.list, () => ({ items: [], nextCursor: null }));
    app = await createHttpApp(SseTestModule, { env: { TRUST_PROXY: false } } as never);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    token = tokens.issue({ sub: userId, email: 'a@example.com', sid: randomUUID() });
  });
  afterAll(async () => {
    await app.close();
    await nc.close();
  });

  it('replays the history, passes live steps on once each and in order, and ends with the filed note', async () => {
    const videoId = randomUUID();
    histories.set(videoId, [entry(videoId, 0), entry(videoId, 10)]);
    const started = Date.now();
    const stream = await open(`/videos/${videoId}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.next(2);
    processing(videoId, 'starting', 10); // a re-run step: already sent
    processing(videoId, 'fetching_transcript', 25);
    await stream.next(3);
    publish({ video_id: videoId, status: 'completed', step: 'completed', progress: 100, message: 'Done' }); // job done, note not filed
    // announced live before videos recorded the step before it: it waits for the history to have it
    publish({ video_id: videoId, status: 'processing', step: 'generating_assessment', progress: 75, message: 'x' });
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.events).toHaveLength(3);
    histories.get(videoId)!.push(entry(videoId, 25), entry(videoId, 60));
    await stream.next(5);
    const noteId = randomUUID();
    histories.get(videoId)!.push(entry(videoId, 75), entry(videoId, 85), entry(videoId, 88));
    publish({
      video_id: videoId,
      status: 'completed',
      step: 'completed',
      progress: 100,
      message: 'Ready',
      note_id: noteId,
    });
    await stream.ended;
    expect(stream.events.map((e) => [e.id, e.event])).toEqual([
      ['1.0', 'queued'],
      ['1.10', 'processing'],
      ['1.25', 'processing'],
      ['1.60', 'processing'],
      ['1.75', 'processing'],
      ['1.85', 'processing'],
      ['1.88', 'processing'],
      ['1.100', 'completed'],
    ]);
    expect(stream.events[7].data).toMatchObject({
      video_id: videoId,
      status: 'completed',
      note_id: noteId,
      progress: 100,
    });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('resumes after Last-Event-ID with no gap and no repeat, and catches a lost live update from the history', async () => {
    const videoId = randomUUID();
    histories.set(videoId, [entry(videoId, 0), entry(videoId, 10), entry(videoId, 25)]);
    const stream = await open(`/videos/${videoId}/events`, { 'last-event-id': '10' });
    await stream.next(1);
    // recorded durably, its live announcement lost: the heartbeat's history read delivers it
    histories.get(videoId)!.push(entry(videoId, 60));
    await stream.next(2);
    histories.get(videoId)!.push(
      entry(videoId, 100, {
        status: 'failed',
        step: 'generating_notes',
        error: { message: 'x', failedStep: 'generating_notes', retryable: true },
      }),
    );
    await stream.ended;
    expect(stream.events.map((e) => e.id)).toEqual(['1.25', '1.60', '1.100']);
    expect(stream.events[2]).toMatchObject({ event: 'failed', data: { error: { failed_step: 'generating_notes' } } });
  });

  it('resumes a retried video from its new attempt: an id of the earlier attempt gets the current one whole', async () => {
    const videoId = randomUUID();
    histories.set(videoId, [entry(videoId, 0, { attempt: 2 }), entry(videoId, 10, { attempt: 2 })]);
    // the client saw attempt 1 end; a stream of the current attempt, at the same position, goes on from it
    const stale = await open(`/videos/${videoId}/events`, { 'last-event-id': '1.100' });
    const current = await open(`/videos/${videoId}/events`, { 'last-event-id': '2.0' });
    await Promise.all([stale.next(2), current.next(1)]);
    // the cancelled first attempt's last words are not this stream's
    publish({
      video_id: videoId,
      attempt: 1,
      status: 'processing',
      step: 'fetching_transcript',
      progress: 25,
      message: 'x',
    });
    publish({
      video_id: videoId,
      attempt: 2,
      status: 'processing',
      step: 'fetching_transcript',
      progress: 25,
      message: 'y',
    });
    await Promise.all([stale.next(3), current.next(2)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(stale.events.map((e) => [e.id, (e.data as { message: string }).message])).toEqual([
      ['2.0', 'at 0'],
      ['2.10', 'at 10'],
      ['2.25', 'y'],
    ]);
    expect(current.events.map((e) => e.id)).toEqual(['2.10', '2.25']);
    stale.close();
    current.close();
    await Promise.all([stale.ended, current.ended]);
    await new Promise((r) => setTimeout(r, 1000)); // slots free for the next test
  });

  it('takes a bare Last-Event-ID (before attempts had ids) as a point in the current attempt', async () => {
    const videoId = randomUUID();
    histories.set(videoId, [
      entry(videoId, 0, { attempt: 3 }),
      entry(videoId, 10, { attempt: 3 }),
      entry(videoId, 25, { attempt: 3 }),
    ]);
    const stream = await open(`/videos/${videoId}/events`, { 'last-event-id': '10' });
    await stream.next(1);
    expect(stream.events.map((e) => e.id)).toEqual(['3.25']);
    for (const bad of ['0.10', '1.101', '1.', '.5', '1.2.3'])
      expect((await open(`/videos/${videoId}/events`, { 'last-event-id': bad })).status).toBe(400);
    stream.close();
    await stream.ended;
    await new Promise((r) => setTimeout(r, 1000)); // slots free for the next test
  });

  it('answers 404 for a video that is not the caller’s, 400 for a foreign Last-Event-ID, 429 past the limit', async () => {
    const missing = await open(`/videos/${randomUUID()}/events`);
    expect({ status: missing.status, body: missing.body }).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'Video not found' } },
    });
    const videoId = randomUUID();
    histories.set(videoId, [entry(videoId, 0)]);
    expect((await open(`/videos/${videoId}/events`, { 'last-event-id': 'abc' })).status).toBe(400);
    const first = await open(`/videos/${videoId}/events`);
    const second = await open('/events');
    const third = await open(`/videos/${videoId}/events`);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toEqual(expect.any(String));
    first.close();
    await first.ended;
    // the server notices a client gone at its next write at the latest (a heartbeat)
    await new Promise((r) => setTimeout(r, 1000));
    const again = await open(`/videos/${videoId}/events`);
    expect(again.status).toBe(200);
    again.close();
    second.close();
    await Promise.all([again.ended, second.ended]);
    await new Promise((r) => setTimeout(r, 1000)); // slots free for the next test
  });

  it('reaches a client on every gateway replica: each subscribes itself, none shares a queue', async () => {
    const replica = await createHttpApp(SseTestModule, { env: { TRUST_PROXY: false } } as never);
    await replica.listen(0, '127.0.0.1');
    try {
      const other = `http://127.0.0.1:${(replica.getHttpServer().address() as { port: number }).port}`;
      const videoId = randomUUID();
      histories.set(videoId, [entry(videoId, 0)]);
      const here = await open(`/videos/${videoId}/events`);
      const there = await openSseStream(`${other}/videos/${videoId}/events`, { authorization: `Bearer ${token}` });
      await Promise.all([here.next(1), there.next(1)]);
      processing(videoId, 'starting', 10);
      await Promise.all([here.next(2), there.next(2)]);
      expect([here.events.map((e) => e.id), there.events.map((e) => e.id)]).toEqual([
        ['1.0', '1.10'],
        ['1.0', '1.10'],
      ]);
      here.close();
      there.close();
      await Promise.all([here.ended, there.ended]);
    } finally {
      await replica.close();
    }
    await new Promise((r) => setTimeout(r, 1000)); // slots free for the next test
  });

  it('streams every video of the caller on /events, with ids that resume per video', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const stream = await open('/events', { 'last-event-id': `${a.toUpperCase()}:25` });
    await new Promise((r) => setTimeout(r, 100));
    processing(a, 'fetching_transcript', 25); // already seen before the reconnect
    processing(a, 'generating_notes', 60);
    processing(b, 'starting', 10);
    // someone else's video is not routed here
    nc.publish(
      progressSubject(namespace, randomUUID()),
      codec.encode({ video_id: randomUUID(), status: 'processing', step: 'starting', progress: 10, message: 'x' }),
      {
        headers: contextHeaders({ userId: randomUUID() }),
      },
    );
    await stream.next(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.events.map((e) => e.id)).toEqual([`${a}:1.60`, `${b}:1.10`]);
    // b fails, is retried, and its second attempt starts over at 0: still news to this stream
    publish({ video_id: b, attempt: 1, status: 'failed', step: 'starting', progress: 10, error: 'x', retryable: true });
    publish({ video_id: b, attempt: 2, status: 'processing', step: 'starting', progress: 10, message: 'again' });
    publish({
      video_id: b,
      attempt: 1,
      status: 'processing',
      step: 'fetching_transcript',
      progress: 25,
      message: 'late',
    });
    await stream.next(4);
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.events.map((e) => e.id).slice(2)).toEqual([`${b}:1.100`, `${b}:2.10`]);
    stream.close();
  });
});
