import { studyLibrary, transcriptWords, waitFor } from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';

type Video = { video_id: string; status: string; note_id: string | null };
type Note = { note_id: string; title: string; subject: string; version: number; content: string; body: string };
type Page = { items: Array<{ note_id: string; title: string; snippet?: string }>; next_cursor: string | null };

/**
 * The knowledge base through the gateway: notes the offline writer made from study-library transcripts,
 * edited with If-Match, searched by a word of the body, related, drawn as a graph, deleted.
 */
describe('The knowledge base (system test)', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ extraEnv: { SIGNUP_CREDITS: '5' } });
  }, 120_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  const lectures = studyLibrary();
  const lecture = (id: string) => {
    const found = lectures.find((l) => l.id === id);
    if (!found) throw new Error(`no lecture ${id}`);
    return transcriptWords(found.transcript).join(' ');
  };

  const fileNote = async (client: ApiClient, n: number, transcript: string) => {
    const submitted = await client.post<{ video_id: string }>('/videos', {
      url: `https://youtu.be/kbkbkbkbk0${n}`,
      subject: 'Biology',
      language: 'en',
      transcript,
    });
    expect(submitted.status).toBe(202);
    const video = await waitFor(
      async () => {
        const { body } = await client.get<Video>(`/videos/${submitted.body.video_id}`);
        return ['completed', 'failed'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: `video ${n} to finish` },
    );
    expect(video.status).toBe('completed');
    return video.note_id as string;
  };

  it('edits with If-Match, finds by a body word, relates, draws and deletes a user’s notes', async () => {
    const { client } = await system.api.registerUser('kb@example.com');
    const light = await fileNote(client, 1, lecture('photosynthesis-light-reactions'));
    const calvin = await fileNote(client, 2, lecture('photosynthesis-calvin-cycle'));
    const enzymes = await fileNote(client, 3, lecture('enzymes-kinetics'));

    // read: the ETag is the version
    const read = await client.get<Note>(`/notes/${light}?include_content=true`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body.content).toContain('## Related notes');

    // edit on the version read; then a stale edit (another tab) and one without If-Match
    const body = `${read.body.body}\nMy own mnemonic: photons push, water pays.\n`;
    const edited = await client.request<Note>('PATCH', `/notes/${light}`, { body }, { 'if-match': '"1"' });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body.body).toContain('My own mnemonic');
    const stale = await client.request('PATCH', `/notes/${light}`, { title: 'Mine' }, { 'if-match': '"1"' });
    expect(stale).toMatchObject({ status: 412, body: { error: { code: 'precondition_failed' } } });
    const blind = await client.request('PATCH', `/notes/${light}`, { title: 'Mine' });
    expect(blind).toMatchObject({ status: 428, body: { error: { code: 'precondition_required' } } });
    const versions = await client.get<{ items: Array<{ version: number; kind: string }> }>(`/notes/${light}/versions`);
    expect(versions.body.items.map((v) => [v.version, v.kind])).toEqual([
      [1, 'created'],
      [2, 'edited'],
    ]);

    // search by a word only the edited body has
    const found = await client.get<Page>('/notes?q=mnemonic');
    expect(found.body.items.map((n) => n.note_id)).toEqual([light]);
    expect(found.body.items[0].snippet).toContain('<mark>mnemonic</mark>');

    const subjects = await client.get<{ items: Array<{ subject: string; note_count: number }> }>('/subjects');
    expect(subjects.body.items).toEqual([{ subject: 'Biology', note_count: 3 }]);

    // related and graph: the two photosynthesis notes are linked, both ways, with the edit's text kept
    const related = await waitFor(
      async () => {
        const { body: r } = await client.get<{ items: Array<{ note_id: string; score: number }> }>(
          `/notes/${light}/related`,
        );
        return r.items.some((i) => i.note_id === calvin) ? r : undefined;
      },
      { timeoutMs: 15_000, what: 'the light reactions to relate to the Calvin cycle' },
    );
    expect(related.items[0].score).toBeGreaterThan(0);
    // a link names the note by its title, less what [[...]] cannot hold (":" among them)
    const lightLink = `[[${read.body.title
      .replace(/[:#|^[\]\\/*?"<>]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()}]]`;
    const calvinNote = await client.get<Note>(`/notes/${calvin}?include_content=true`);
    expect(calvinNote.body.content.split('## Related notes')[1]).toContain(lightLink);
    const graph = await client.get<{
      nodes: Array<{ note_id: string }>;
      edges: Array<{ source: string; target: string }>;
    }>('/graph');
    expect(graph.body.nodes.map((n) => n.note_id).sort()).toEqual([light, calvin, enzymes].sort());
    for (const e of graph.body.edges)
      expect([light, calvin, enzymes]).toEqual(expect.arrayContaining([e.source, e.target]));

    // another user sees none of it
    const { client: other } = await system.api.registerUser('kb-other@example.com');
    expect((await other.get(`/notes/${light}`)).status).toBe(404);
    expect((await other.get(`/notes/${light}/related`)).status).toBe(404);
    expect((await other.get('/graph')).body).toEqual({ nodes: [], edges: [] });
    expect((await other.request('DELETE', `/notes/${light}`)).status).toBe(404);

    // delete: gone, and its neighbour stops linking to it; its video stays completed, with no note
    const videos = await client.get<{ items: Video[] }>('/videos?limit=10');
    const lightVideo = videos.body.items.find((v) => v.note_id === light)!;
    expect((await client.request('DELETE', `/notes/${light}`)).status).toBe(204);
    await waitFor(
      async () => {
        const { body } = await client.get<Video>(`/videos/${lightVideo.video_id}`);
        return body.status === 'completed' && body.note_id === null;
      },
      { timeoutMs: 20_000, what: 'the video to let go of its deleted note' },
    );
    expect((await client.get(`/notes/${light}`)).status).toBe(404);
    expect((await client.get<Page>('/notes')).body.items.map((n) => n.note_id).sort()).toEqual(
      [calvin, enzymes].sort(),
    );
    const after = await client.get<Note>(`/notes/${calvin}?include_content=true`);
    expect(after.body.content).not.toContain(lightLink);
  }, 300_000);
});
