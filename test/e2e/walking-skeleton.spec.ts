import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { RPC } from '@study-buddy/contracts';
import { rebuildProjections } from '@study-buddy/devstack';
import { RpcClient } from '@study-buddy/messaging';
import { waitFor } from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as lecture } from './support/lecture';

const url = (id: string) => `https://www.youtube.com/watch?v=${id}`;

type Video = {
  video_id: string;
  status: string;
  progress: number;
  note_id: string | null;
  error: { message: string; failed_step: string; retryable: boolean } | null;
};

/** One video end to end, through all five services as separate processes, over HTTP. */
describe('walking skeleton (system test)', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    // The services' own logs, for a failure that the assertions alone do not explain.
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  const settled = (client: ApiClient, videoId: string) =>
    waitFor(
      async () => {
        const { body } = await client.get<Video>(`/videos/${videoId}`);
        return ['completed', 'failed'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `video ${videoId} to finish` },
    );

  /** Billing captures or releases from the video's final event, a moment after the video shows it. */
  const credits = (client: ApiClient, expected: { balance: number; reserved: number }) =>
    waitFor(
      async () => {
        const { body } = await client.get('/credits');
        return JSON.stringify(body) === JSON.stringify(expected) ? body : undefined;
      },
      { timeoutMs: 10_000, what: `credits to be ${JSON.stringify(expected)}` },
    );

  it('turns a submitted transcript into a study note and charges one credit', async () => {
    const { client } = await system.api.registerUser('ada@example.com');
    expect((await client.get('/credits')).body).toEqual({ balance: 3, reserved: 0 });

    const submitted = await client.post<{ video_id: string; youtube_video_id: string; status: string }>('/videos', {
      url: 'https://youtu.be/aaaaaaaaaa1',
      transcript: lecture,
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ youtube_video_id: 'aaaaaaaaaa1', status: 'queued' });

    const video = await settled(client, submitted.body.video_id);
    expect(video).toMatchObject({ status: 'completed', progress: 100, error: null });
    expect(video.note_id).toEqual(expect.any(String));

    const note = await client.get<{ title: string; subject: string; content: string; concepts: string[] }>(
      `/notes/${video.note_id}?include_content=true`,
    );
    expect(note.status).toBe(200);
    expect(note.body.subject).toBe('Biology');
    expect(note.body.title.toLowerCase()).toContain('photosynthesis');
    expect(note.body.content).toMatch(/^---\ntitle: /);
    for (const section of ['## Summary', '## Core Concepts', '## Key Points', '## Assessment'])
      expect(note.body.content).toContain(section);

    await credits(client, { balance: 2, reserved: 0 });
    const videos = await client.get<{ items: Video[]; next_cursor: string | null }>('/videos');
    expect(videos.body.items.map((v) => v.video_id)).toEqual([submitted.body.video_id]);
    const notes = await client.get<{ items: { note_id: string }[] }>('/notes');
    expect(notes.body.items.map((n) => n.note_id)).toEqual([video.note_id]);

    // The same video again: the existing one back, no second charge.
    const again = await client.post<{ video_id: string }>('/videos', { url: url('aaaaaaaaaa1'), transcript: lecture });
    expect(again.status).toBe(200);
    expect(again.body.video_id).toBe(submitted.body.video_id);
    expect((await client.get('/credits')).body).toEqual({ balance: 2, reserved: 0 });

    // Another user sees none of it.
    const { client: bob } = await system.api.registerUser('bob@example.com');
    expect((await bob.get(`/videos/${submitted.body.video_id}`)).status).toBe(404);
    expect((await bob.get(`/notes/${video.note_id}`)).status).toBe(404);
    expect((await bob.get<{ items: unknown[] }>('/videos')).body.items).toEqual([]);
    expect((await bob.get<{ items: unknown[] }>('/notes')).body.items).toEqual([]);
  });

  it('answers 402 when the credits run out', async () => {
    const { client } = await system.api.registerUser('carol@example.com');
    for (const id of ['ccccccccc01', 'ccccccccc02', 'ccccccccc03']) {
      expect((await client.post('/videos', { url: url(id), transcript: lecture })).status).toBe(202);
    }
    const refused = await client.post<{ error: { code: string; message: string } }>('/videos', {
      url: url('ccccccccc04'),
      transcript: lecture,
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('insufficient_credits');
    expect(refused.body.error.message).toMatch(/no credits left/i);
    // Pages of two, newest first, each video once.
    const first = await client.get<{ items: (Video & { youtube_video_id: string })[]; next_cursor: string | null }>(
      '/videos?limit=2',
    );
    expect(first.body.items.map((v) => v.youtube_video_id)).toEqual(['ccccccccc03', 'ccccccccc02']);
    const second = await client.get<{ items: (Video & { youtube_video_id: string })[]; next_cursor: string | null }>(
      `/videos?limit=2&cursor=${encodeURIComponent(first.body.next_cursor!)}`,
    );
    expect(second.body.items.map((v) => v.youtube_video_id)).toEqual(['ccccccccc01']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('fails a video it cannot process and gives the credit back', async () => {
    const { client } = await system.api.registerUser('dan@example.com');
    const submitted = await client.post<{ video_id: string }>('/videos', { url: url('ddddddddd01') });
    expect(submitted.status).toBe(202);
    const video = await settled(client, submitted.body.video_id);
    expect(video.status).toBe('failed');
    expect(video.error).toMatchObject({ failed_step: 'fetching_transcript', retryable: true });
    // no transcript, and YouTube unreachable (the system test's YouTube refuses connections): retried, then failed
    expect(video.error?.message).toMatch(/YouTube could not be reached.*retry the video later/);
    await credits(client, { balance: 3, reserved: 0 });
    expect((await client.get<{ items: Video[] }>('/videos?status=failed')).body.items.map((v) => v.video_id)).toEqual([
      submitted.body.video_id,
    ]);
    expect((await client.get<{ items: Video[] }>('/videos?status=completed')).body.items).toEqual([]);
  });

  it('releases a credit held for a video that never arrived', async () => {
    const { client, userId } = await system.api.registerUser('hal@example.com');
    // What videos leaves behind if it dies between reserving the credit and recording the video.
    const nc = await connect({ servers: system.stack.env.NATS_URL });
    try {
      await new RpcClient(nc, 5000, system.stack.env.MESSAGING_NAMESPACE).request(RPC.billing.reserve, {
        userId,
        videoId: randomUUID(),
      });
    } finally {
      await nc.close();
    }
    await credits(client, { balance: 2, reserved: 1 });
    await credits(client, { balance: 3, reserved: 0 });
  });

  it('rejects bad input with a clear 4xx and changes nothing', async () => {
    const { client } = await system.api.registerUser('erin@example.com');
    const cases: [string, () => Promise<{ status: number; body: { error?: { code: string } } }>, number, string][] = [
      [
        'malformed JSON',
        () => client.post('/videos', '{"url": ', { 'content-type': 'application/json' }),
        400,
        'bad_request',
      ],
      [
        'not JSON',
        () => client.post('/videos', 'url=x', { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      ],
      ['wrong types', () => client.post('/videos', { url: 42 }), 400, 'validation_failed'],
      ['not YouTube', () => client.post('/videos', { url: 'https://vimeo.com/123' }), 400, 'invalid_url'],
      [
        'too large',
        () => client.post('/videos', { url: url('eeeeeeeee01'), transcript: 'x'.repeat(2_000_000) }),
        413,
        'payload_too_large',
      ],
      ['bad limit', () => client.get('/videos?limit=0'), 400, 'validation_failed'],
      ['bad cursor', () => client.get('/videos?cursor=garbage'), 400, 'validation_failed'],
      ['foreign id', () => client.get('/videos/00000000-0000-4000-8000-000000000000'), 404, 'not_found'],
      ['no token', () => system.api.get('/videos'), 401, 'unauthorized'],
      [
        'forged token',
        () => system.api.withToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl').get('/videos'),
        401,
        'unauthorized',
      ],
      [
        'short password',
        () => system.api.post('/auth/register', { email: 'x@example.com', password: 'short' }),
        400,
        'validation_failed',
      ],
    ];
    for (const [name, call, status, code] of cases) {
      const response = await call();
      expect({ name, status: response.status, code: response.body.error?.code }).toEqual({ name, status, code });
    }
    expect((await client.get('/credits')).body).toEqual({ balance: 3, reserved: 0 });
    expect((await client.get<{ items: unknown[] }>('/videos')).body.items).toEqual([]);
  });

  it('rebuilds every read model from the event stores to what it was', async () => {
    const { client } = await system.api.registerUser('gus@example.com');
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: url('ggggggggg01'),
      transcript: lecture,
    });
    await settled(client, submitted.body.video_id);
    await credits(client, { balance: 2, reserved: 0 });
    const snapshot = async () => ({
      videos: (await client.get('/videos')).body,
      notes: (await client.get('/notes')).body,
      credits: (await client.get('/credits')).body,
      me: (await client.get('/auth/me')).body,
    });
    const before = await snapshot();
    await rebuildProjections(
      path.resolve(__dirname, '../..'),
      ['gateway', 'videos', 'notes', 'billing'],
      system.stack.env,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('finishes a video submitted while the processor was down, once it is back', async () => {
    const { client } = await system.api.registerUser('fay@example.com');
    await system.stack.services.processor.kill();
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: url('fffffffff01'),
      transcript: lecture,
    });
    expect(submitted.status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect((await client.get<Video>(`/videos/${submitted.body.video_id}`)).body.status).toBe('queued');

    system.stack.services.processor.start();
    await system.stack.services.processor.waitUntilReady();
    const video = await settled(client, submitted.body.video_id);
    expect(video.status).toBe('completed');
    await credits(client, { balance: 2, reserved: 0 });
  });

  it('recovers from the processor and videos services being killed in the middle of work', async () => {
    const users = await Promise.all(
      ['kim', 'lee', 'max'].map((name) => system.api.registerUser(`${name}@example.com`)),
    );
    const submissions = await Promise.all(
      users.flatMap(({ client }, u) =>
        [1, 2, 3].map(async (n) => {
          const response = await client.post<{ video_id: string }>('/videos', {
            url: url(`kkkkkkkk${u}0${n}`),
            transcript: lecture,
          });
          expect(response.status).toBe(202);
          return { client, videoId: response.body.video_id };
        }),
      ),
    );
    // Crash both while the nine jobs are in flight, then bring them back.
    await new Promise((r) => setTimeout(r, 150));
    await Promise.all([system.stack.services.processor.kill(), system.stack.services.videos.kill()]);
    system.stack.services.processor.start();
    system.stack.services.videos.start();
    await Promise.all([
      system.stack.services.processor.waitUntilReady(),
      system.stack.services.videos.waitUntilReady(),
    ]);

    for (const { client, videoId } of submissions) expect((await settled(client, videoId)).status).toBe('completed');
    for (const { client } of users) {
      await credits(client, { balance: 0, reserved: 0 });
      const notes = await client.get<{ items: { video_id: string }[] }>('/notes');
      expect(notes.body.items).toHaveLength(3); // one note per video, none twice
    }
  });

  it('publishes what other services need on the bus, with the caller’s correlation id, and no secrets', async () => {
    const { client } = await system.api.registerUser('jay@example.com');
    const submitted = await client.post<{ video_id: string }>(
      '/videos',
      { url: url('jjjjjjjjj01'), transcript: lecture },
      { 'x-correlation-id': 'e2e-trace-42' },
    );
    await settled(client, submitted.body.video_id);
    const nc = await connect({ servers: system.stack.env.NATS_URL });
    try {
      const jsm = await nc.jetstreamManager();
      const stream = system.stack.env.EVENTS_STREAM!;
      const { state } = await jsm.streams.info(stream);
      const bodies: { subject: string; text: string }[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        bodies.push({ subject: m.subject, text: Buffer.from(m.data).toString('utf8') });
      }
      const ns = system.stack.env.MESSAGING_NAMESPACE;
      expect(bodies.some((b) => b.subject === `${ns}evt.gateway.UserRegistered`)).toBe(true);
      expect(bodies.some((b) => b.subject === `${ns}evt.processor.JobCompleted`)).toBe(true);
      for (const b of bodies) expect(b.text).not.toMatch(/passwordHash|scrypt\$|correct horse/);
      // The request's correlation id reached every event it caused, three services away.
      const caused = bodies
        .map((b) => ({
          subject: b.subject,
          event: JSON.parse(b.text) as { data: { videoId?: string }; metadata: { correlationId?: string } },
        }))
        .filter((b) => b.event.data.videoId === submitted.body.video_id);
      expect(caused.map((c) => c.subject)).toEqual(
        expect.arrayContaining([
          `${ns}evt.videos.VideoSubmitted`,
          `${ns}evt.processor.JobCompleted`,
          `${ns}evt.notes.NoteCreated`,
          `${ns}evt.videos.VideoCompleted`,
        ]),
      );
      for (const c of caused)
        expect({ subject: c.subject, correlationId: c.event.metadata.correlationId }).toEqual({
          subject: c.subject,
          correlationId: 'e2e-trace-42',
        });
    } finally {
      await nc.close();
    }
  });

  it('shuts every service down cleanly on SIGTERM, and they come back ready', async () => {
    for (const service of Object.values(system.stack.services)) {
      const started = Date.now();
      expect({ service: service.name, code: await service.stop() }).toEqual({ service: service.name, code: 0 });
      expect(Date.now() - started).toBeLessThan(15_000);
      service.start();
    }
    await Promise.all(Object.values(system.stack.services).map((s) => s.waitUntilReady()));
    const { client } = await system.api.registerUser('ivy@example.com');
    expect((await client.get('/credits')).body).toEqual({ balance: 3, reserved: 0 });
  });
});
