import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createStudyBuddyClient, memorySession } from '@study-buddy/api-client';
import { Context } from '../src/context';
import { CredentialsStore } from '../src/credentials';
import { EXIT } from '../src/exit-codes';
import { createOutput } from '../src/output';
import { errorOf, waitForVideos, waitOutcome } from '../src/wait';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

function event(res: ServerResponse, seq: number, status: string, extra: Record<string, unknown> = {}) {
  const data = { status, step: null, progress: seq, message: null, note_id: null, error: null, ...extra };
  res.write(`id: 1.${seq}\nevent: ${status}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A gateway stand-in: A completes late, B's stream is refused at once, C fails. */
async function gateway() {
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const id = /^\/videos\/([^/]+)/.exec(req.url ?? '')?.[1];
    if (!req.url?.endsWith('/events')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ video_id: id, title: `Video ${id?.slice(-1)}` }));
    }
    if (id === B) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { code: 'not_found', message: 'Video not found' } }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    open.add(res);
    res.on('close', () => open.delete(res));
    event(res, 0, 'queued');
    if (id === C)
      return event(res, 100, 'failed', {
        error: { message: 'No captions', failed_step: 'fetching_transcript', retryable: false },
      });
    setTimeout(() => event(res, 100, 'completed', { note_id: 'note-a', message: 'Done' }), 150);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    open,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

function context(url: string, json: boolean): { ctx: Context; text: () => string } {
  let text = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  const client = createStudyBuddyClient({ baseUrl: url, session: memorySession('token', { accessToken: 'at' }) });
  const ctx: Context = {
    server: url,
    client,
    credentials: new CredentialsStore('/nonexistent/credentials.json'),
    out: createOutput({ json, stdout, stderr: stdout, tty: false }),
    env: {},
    requireLogin: async () => undefined,
    clientFor: () => client,
  };
  return { ctx, text: () => text };
}

describe('waiting for several videos', () => {
  it('a stream that fails is recorded on its video, the others are followed to their end, and the exit code chosen at the end', async () => {
    const g = await gateway();
    try {
      const { ctx, text } = context(g.url, false);
      const videos = await waitForVideos(ctx, [A, B, C]);
      expect(videos.map((v) => [v.videoId, v.status, v.failure?.code ?? null])).toEqual([
        [A, 'completed', null],
        [B, 'queued', EXIT.refused],
        [C, 'failed', null],
      ]);
      expect(videos[0]).toMatchObject({ noteId: 'note-a', error: null });
      expect(videos[2].error).toBe('No captions');
      expect(text()).toContain(`${B} Video b not followed: Video not found`);
      expect(text()).toContain(`${A} Video a completed note-a`);
      for (let i = 0; i < 50 && g.open.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(g.open.size).toBe(0); // nothing left streaming
      const outcome = waitOutcome(videos)!;
      expect(outcome.code).toBe(EXIT.refused);
      expect(outcome.message).toBe('1 of 3 video(s) could not be followed to the end: Video not found');
      expect(waitOutcome([videos[0], videos[2]])!.code).toBe(EXIT.videoFailed);
      expect(waitOutcome([videos[0]])).toBeUndefined();
    } finally {
      await g.close();
    }
  });

  it('a server that cannot be reached is exit code 6 for the videos waited for', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { ctx } = context(`http://127.0.0.1:${port}`, true);
    const videos = await waitForVideos(ctx, [A, B]);
    expect(videos.map((v) => v.failure?.code)).toEqual([EXIT.unreachable, EXIT.unreachable]);
    expect(waitOutcome(videos)!.code).toBe(EXIT.unreachable);
  });

  it('only a failed or cancelled video carries an error (a completed one says "Done" in message)', () => {
    expect(errorOf({ status: 'completed', error: null, message: 'Done' })).toBeNull();
    expect(errorOf({ status: 'processing', error: null, message: 'Fetching the transcript' })).toBeNull();
    expect(
      errorOf({
        status: 'failed',
        error: { message: 'No captions', failed_step: 'x', retryable: false },
        message: null,
      }),
    ).toBe('No captions');
    expect(errorOf({ status: 'cancelled', error: null, message: 'Cancelled by the user' })).toBe(
      'Cancelled by the user',
    );
  });
});
