import { openSseStream, SseEvent, waitFor } from '@study-buddy/testing';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as lecture } from './support/lecture';

const SEQS = ['0', '10', '25', '60', '75', '85', '88', '100'];
const EVERY_STEP = SEQS.map((seq) => `1.${seq}`);

/** Live progress over Server-Sent Events, through all five services as separate processes. */
describe('live progress (system test)', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ extraEnv: { SSE_HEARTBEAT_MS: '500' } });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  const events = (token: string, videoId: string, lastEventId?: string) =>
    openSseStream(`${system.api.baseUrl}/videos/${videoId}/events`, {
      authorization: `Bearer ${token}`,
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    });
  const ids = (list: SseEvent[]) => list.map((e) => e.id);

  it('shows a client every step of a video, and one that reconnects mid-way the rest with no gap or repeat', async () => {
    const { client } = await system.api.registerUser('sse-ada@example.com');
    const token = client.token!;
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: 'https://youtu.be/sssssssss01',
      transcript: lecture,
    });
    expect(submitted.status).toBe(202);
    const videoId = submitted.body.video_id;

    // Connected right after the 202 (read-your-writes: the video is found at once), staying to the end.
    const watcher = await events(token, videoId);
    // Another client drops after three events and comes back with the last id it saw.
    const first = await events(token, videoId);
    expect({ watcher: watcher.status, first: first.status }).toEqual({ watcher: 200, first: 200 });
    const seen = await first.next(3, 30_000);
    first.close();
    const resumed = await events(token, videoId, seen[2].id);
    expect(resumed.status).toBe(200);

    await Promise.all([watcher.ended, resumed.ended]);
    expect(ids(watcher.events)).toEqual(EVERY_STEP);
    expect([...ids(seen), ...ids(resumed.events)]).toEqual(EVERY_STEP);
    const end = watcher.events.at(-1)!;
    expect(end.event).toBe('completed');
    expect(end.data).toMatchObject({
      video_id: videoId,
      status: 'completed',
      progress: 100,
      note_id: expect.any(String),
    });
    const video = await client.get<{ note_id: string }>(`/videos/${videoId}`);
    expect((end.data as { note_id: string }).note_id).toBe(video.body.note_id);

    // Afterwards, from the durable history alone: the same steps; from its last id, nothing, and it ends.
    const replay = await events(token, videoId);
    await replay.ended;
    expect(ids(replay.events)).toEqual(EVERY_STEP);
    const after = await events(token, videoId, '1.100');
    await after.ended;
    expect(after.events).toEqual([]);
  }, 90_000);

  it('ends a failing video’s stream with the failure, and streams all videos on /events', async () => {
    const { client } = await system.api.registerUser('sse-bob@example.com');
    const token = client.token!;
    const all = await openSseStream(`${system.api.baseUrl}/events`, { authorization: `Bearer ${token}` });
    expect(all.status).toBe(200);
    const submitted = await client.post<{ video_id: string }>('/videos', { url: 'https://youtu.be/sssssssss02' });
    const stream = await events(token, submitted.body.video_id);
    await stream.ended;
    const end = stream.events.at(-1)!;
    expect(end).toMatchObject({
      id: '1.100',
      event: 'failed',
      data: { status: 'failed', error: { failed_step: 'fetching_transcript', retryable: true } },
    });
    // starting, fetching_transcript, then the failure, live
    await all.next(3, 10_000);
    expect(all.events.every((e) => e.id?.startsWith(`${submitted.body.video_id}:`))).toBe(true);
    expect(all.events.some((e) => e.event === 'failed')).toBe(true);

    // Retried with a transcript: a client back with the failed attempt's last id sees the new attempt whole,
    // and /events, still open, reports the new attempt though its steps start over.
    const retried = await client.post(`/videos/${submitted.body.video_id}/retry`, { transcript: lecture, attempt: 1 });
    expect(retried.status).toBe(202);
    const again = await events(token, submitted.body.video_id, end.id);
    await again.ended;
    expect(ids(again.events)).toEqual(SEQS.map((seq) => `2.${seq}`));
    await waitFor(() => all.events.some((e) => e.id === `${submitted.body.video_id}:2.100`), {
      timeoutMs: 10_000,
      what: 'the retried attempt on /events',
    });
    all.close();

    // Someone else's video is not found; another user's stream shows nothing of it.
    const { client: eve } = await system.api.registerUser('sse-eve@example.com');
    const foreign = await events(eve.token!, submitted.body.video_id);
    expect(foreign.status).toBe(404);
  }, 60_000);
});
