import { waitFor } from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as lecture } from './support/lecture';

const url = (id: string) => `https://www.youtube.com/watch?v=${id}`;

type Video = {
  video_id: string;
  status: string;
  attempt: number;
  note_id: string | null;
  error: { message: string; failed_step: string; retryable: boolean } | null;
};
type Action = { video_id: string; status: string; attempt: number };
type Failure = { error: { code: string; message: string } };

/** Cancel, retry and delete over HTTP, through all five services as separate processes. */
describe('video lifecycle (system test)', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  const video = (client: ApiClient, id: string) => client.get<Video>(`/videos/${id}`);
  const settled = (client: ApiClient, id: string, statuses = ['completed', 'failed', 'cancelled']) =>
    waitFor(
      async () => {
        const { body } = await video(client, id);
        return statuses.includes(body.status) ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `video ${id} to reach ${statuses.join('/')}` },
    );
  const credits = (client: ApiClient, expected: { balance: number; reserved: number }) =>
    waitFor(
      async () => {
        const { body } = await client.get('/credits');
        return JSON.stringify(body) === JSON.stringify(expected) ? body : undefined;
      },
      { timeoutMs: 15_000, what: `credits to be ${JSON.stringify(expected)}` },
    );
  const notes = async (client: ApiClient) =>
    (await client.get<{ items: { note_id: string; video_id: string }[] }>('/notes')).body.items;

  it('cancels a queued video: its credit comes back and no worker picks it up; a retry then completes it', async () => {
    const { client } = await system.api.registerUser('queued@example.com');
    const processor = system.stack.services.processor;
    await processor.stop();
    let id: string;
    try {
      const submitted = await client.post<{ video_id: string }>('/videos', {
        url: url('lllllllll01'),
        transcript: lecture,
      });
      expect(submitted.status).toBe(202);
      id = submitted.body.video_id;
      await credits(client, { balance: 2, reserved: 1 });

      const cancelled = await client.post<Action>(`/videos/${id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toEqual({ video_id: id, status: 'cancelled', attempt: 1 });
      expect((await client.post<Action>(`/videos/${id}/cancel`)).status).toBe(200); // again: still cancelled
      await credits(client, { balance: 3, reserved: 0 });
    } finally {
      processor.start();
      await processor.waitUntilReady();
    }
    // The worker now sees both the submission and its cancellation, and does nothing with either.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await video(client, id)).body.status).toBe('cancelled');
    expect(await notes(client)).toEqual([]);

    const retried = await client.post<Action>(`/videos/${id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toEqual({ video_id: id, status: 'queued', attempt: 2 });
    const done = await settled(client, id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempt: 2, error: null });
    await credits(client, { balance: 2, reserved: 0 });
    expect((await notes(client)).map((n) => n.note_id)).toEqual([done.note_id]);

    const late = await client.post<Failure>(`/videos/${id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conflict');
  });

  it('a cancel racing completion ends one way or the other, never both: cancelled and refunded, or completed and charged', async () => {
    const { client } = await system.api.registerUser('racer@example.com');
    // Three credits, three races at different delays, so both outcomes tend to occur.
    const ids = ['rrrrrrrrr01', 'rrrrrrrrr02', 'rrrrrrrrr03'];
    const outcomes = await Promise.all(
      ids.map(async (youtubeId, i) => {
        const submitted = await client.post<{ video_id: string }>('/videos', {
          url: url(youtubeId),
          transcript: lecture,
        });
        expect(submitted.status).toBe(202);
        await new Promise((r) => setTimeout(r, [0, 600, 1200][i]));
        const cancel = await client.post<Action & Failure>(`/videos/${submitted.body.video_id}/cancel`);
        expect([200, 409]).toContain(cancel.status);
        const final = await settled(client, submitted.body.video_id);
        if (cancel.status === 200) expect(final.status).toBe('cancelled');
        else expect(final.status).toBe('completed');
        return final;
      }),
    );
    const completed = outcomes.filter((v) => v.status === 'completed');
    process.stdout.write(`cancel races: ${outcomes.map((v) => v.status).join(', ')}\n`);
    await credits(client, { balance: 3 - completed.length, reserved: 0 });
    // A note its job filed before the cancel landed is withdrawn: only completed videos keep theirs.
    await waitFor(
      async () => {
        const filed = (await notes(client)).map((n) => n.video_id).sort();
        return JSON.stringify(filed) === JSON.stringify(completed.map((v) => v.video_id).sort()) || undefined;
      },
      { timeoutMs: 15_000, what: 'only the completed videos to have notes' },
    );
  });

  it('retries a failed video with a transcript, and answers 402 for a retry without credits', async () => {
    const { client } = await system.api.registerUser('retry@example.com');
    // No transcript: fails at fetching_transcript as retryable, credit released.
    const first = await client.post<{ video_id: string }>('/videos', { url: url('fffffffff01') });
    const failed = await settled(client, first.body.video_id);
    expect(failed).toMatchObject({ status: 'failed', attempt: 1, error: { retryable: true } });
    await credits(client, { balance: 3, reserved: 0 });

    // Sent twice at once (a double click): one retry, one credit.
    const retries = await Promise.all(
      [1, 2].map(() =>
        client.post<Action>(`/videos/${first.body.video_id}/retry`, { transcript: lecture, attempt: 1 }),
      ),
    );
    expect(retries.map((r) => r.status).sort()).toEqual([200, 202]);
    expect(retries.map((r) => r.body.attempt)).toEqual([2, 2]);
    const done = await settled(client, first.body.video_id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', attempt: 2, error: null });
    await credits(client, { balance: 2, reserved: 0 });
    expect((await client.post<Failure>(`/videos/${first.body.video_id}/retry`)).status).toBe(409);

    // Another failure, then spend the rest: its retry cannot be paid for.
    const second = await client.post<{ video_id: string }>('/videos', { url: url('fffffffff02') });
    await settled(client, second.body.video_id);
    await credits(client, { balance: 2, reserved: 0 });
    for (const id of ['fffffffff03', 'fffffffff04'])
      expect((await client.post('/videos', { url: url(id), transcript: lecture })).status).toBe(202);
    await waitFor(async () => (await client.get<{ balance: number }>('/credits')).body.balance === 0 || undefined, {
      what: 'the credits to be spent',
    });
    const unpaid = await client.post<Failure>(`/videos/${second.body.video_id}/retry`, { transcript: lecture });
    expect(unpaid.status).toBe(402);
    expect(unpaid.body.error.code).toBe('insufficient_credits');
    expect((await video(client, second.body.video_id)).body).toMatchObject({ status: 'failed', attempt: 1 });

    expect((await client.post<Failure>(`/videos/${second.body.video_id}/retry`, { transcript: '' })).status).toBe(400);
  });

  it('deletes a video: 404 on every route, its note gone, its credit history kept; the same link again is a new video', async () => {
    const { client } = await system.api.registerUser('delete@example.com');
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: url('ddddddddd77'),
      transcript: lecture,
    });
    const id = submitted.body.video_id;
    const done = await settled(client, id);
    expect(done.status).toBe('completed');
    await credits(client, { balance: 2, reserved: 0 });

    const deleted = await client.request('DELETE', `/videos/${id}`);
    expect(deleted.status).toBe(204);
    expect((await video(client, id)).status).toBe(404);
    expect((await client.request('DELETE', `/videos/${id}`)).status).toBe(404);
    expect((await client.post(`/videos/${id}/cancel`)).status).toBe(404);
    expect((await client.post(`/videos/${id}/retry`)).status).toBe(404);
    expect((await client.get<{ items: Video[] }>('/videos')).body.items).toEqual([]);
    await waitFor(async () => (await client.get(`/notes/${done.note_id}`)).status === 404 || undefined, {
      timeoutMs: 15_000,
      what: 'the note to be deleted',
    });
    expect(await notes(client)).toEqual([]);
    expect((await client.get('/credits')).body).toEqual({ balance: 2, reserved: 0 }); // the charge stands

    const again = await client.post<{ video_id: string }>('/videos', { url: url('ddddddddd77'), transcript: lecture });
    expect(again.status).toBe(202);
    expect(again.body.video_id).not.toBe(id);

    // Someone else's video, or a malformed id, is 404 too.
    const { client: other } = await system.api.registerUser('other@example.com');
    expect((await other.request('DELETE', `/videos/${again.body.video_id}`)).status).toBe(404);
    expect((await other.post(`/videos/${again.body.video_id}/cancel`)).status).toBe(404);
    expect((await client.request('DELETE', '/videos/not-a-uuid')).status).toBe(404);
  });

  it('ten identical submissions at once: one video, one 202 and nine 200, one charge', async () => {
    const { client } = await system.api.registerUser('burst@example.com');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.post<{ video_id: string }>('/videos', { url: url('ttttttttt10'), transcript: lecture }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(responses.map((r) => r.body.video_id)).size).toBe(1);
    const done = await settled(client, responses[0].body.video_id);
    expect(done.status).toBe('completed');
    await credits(client, { balance: 2, reserved: 0 });
    expect((await client.get<{ items: Video[] }>('/videos')).body.items).toHaveLength(1);
    expect(await notes(client)).toHaveLength(1);
  });
});
