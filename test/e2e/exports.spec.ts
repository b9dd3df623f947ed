import initSqlJs from 'sql.js';
import { pdfText, unzip, waitFor } from '@study-buddy/testing';
import { ApiClient } from './support/api-client';
import { startSystem, System } from './support/system';
import { photosynthesisLecture as photosynthesis } from './support/lecture';

const respiration = `Today we study cellular respiration, the process by which cells release energy stored in glucose.
Cellular respiration happens in the mitochondria of almost every cell. Glycolysis splits glucose into two molecules of
pyruvate in the cytoplasm and makes a small amount of ATP. The Krebs cycle then oxidises the pyruvate in the mitochondria
and releases carbon dioxide. The electron transport chain uses oxygen as the final electron acceptor and makes most of
the ATP. Without oxygen, cells fall back on fermentation, which makes far less ATP. Cellular respiration is the mirror
image of photosynthesis: photosynthesis stores energy in glucose, respiration releases it as ATP for the cell's work.
Remember that glycolysis, the Krebs cycle and the electron transport chain are the three stages of cellular respiration.`;
const derivatives = `This lecture introduces derivatives in calculus. A derivative measures how fast a function changes
at a point. The derivative is the limit of the difference quotient as the step goes to zero. The power rule says that
the derivative of x to the n is n times x to the n minus one. The product rule and the chain rule let us differentiate
more complicated functions. Derivatives give the slope of the tangent line and describe velocity and acceleration in
physics. A function has a local maximum or minimum where its derivative is zero and changes sign. Derivatives are the
foundation of optimisation problems, where we look for the best value of a quantity under constraints.`;

type Note = { note_id: string; title: string; subject: string };

/** A file download: the raw bytes and headers (ApiClient reads JSON, these are files). */
async function download(client: ApiClient, route: string) {
  const response = await fetch(`${client.baseUrl}${route}`, { headers: { authorization: `Bearer ${client.token}` } });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

const LINK = /\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]/g;

/** Notes, vault, deck and PDF of a user's notes, through the gateway and the notes service (separate processes). */
describe('exports (system test)', () => {
  let system: System;
  let ada: ApiClient;
  let notes: Note[];

  beforeAll(async () => {
    // two notes per export at most, so a library of three is refused and one subject is not;
    // nine exports per user and hour (a window far longer than the suite, so it never rolls over mid-test)
    system = await startSystem({
      extraEnv: { RATE_LIMIT_EXPORT: '9', RATE_LIMIT_WINDOW_SECONDS: '3600' },
      serviceEnv: { notes: { EXPORT_MAX_NOTES: '2' } },
    });
    ({ client: ada } = await system.api.registerUser('ada@example.com'));
    const submissions = [
      { url: 'https://youtu.be/eeeeeeeee01', subject: 'Biology', transcript: photosynthesis },
      { url: 'https://youtu.be/eeeeeeeee02', subject: 'Biology', transcript: respiration },
      { url: 'https://youtu.be/eeeeeeeee03', subject: 'Maths', transcript: derivatives },
    ];
    for (const s of submissions) expect((await ada.post('/videos', s)).status).toBe(202);
    notes = await waitFor(
      async () => {
        const { body } = await ada.get<{ items: Note[] }>('/notes');
        return body.items.length === 3 ? body.items : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: 'three notes' },
    );
  }, 180_000);

  afterAll(async () => {
    if (process.env.E2E_PRINT_LOGS) system?.printLogs();
    await system?.teardown();
  }, 60_000);

  it('downloads a note as Markdown with front matter and as a PDF with its headings', async () => {
    const note = notes.find((n) => n.subject === 'Maths')!;
    const md = await download(ada, `/notes/${note.note_id}/download?format=md`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"/\\]+\.md"; filename\*=UTF-8''/);
    expect(Number(md.headers.get('content-length'))).toBe(md.body.length);
    const text = md.body.toString('utf8');
    expect(text).toMatch(
      new RegExp(
        `^---\\ntitle: ${JSON.stringify(note.title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\nsubject: "Maths"\\n`,
      ),
    );
    for (const key of ['tags:', 'concepts:', 'source: "https://www.youtube.com/watch?v=eeeeeeeee03"', 'created:'])
      expect(text).toContain(`\n${key}`);
    expect(text).toContain('## Assessment');

    const pdf = await download(ada, `/notes/${note.note_id}/download?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { pages, text: printed } = await pdfText(pdf.body);
    expect(pages).toBeGreaterThanOrEqual(1);
    for (const heading of [note.title, 'Summary', 'Core Concepts', 'Key Points', 'Assessment', 'Model answer'])
      expect(printed).toContain(heading);
    // the default format is Markdown
    expect((await download(ada, `/notes/${note.note_id}/download`)).headers.get('content-type')).toMatch(
      /^text\/markdown/,
    );
  }, 60_000);

  it('exports a subject as an Obsidian vault in which every link resolves', async () => {
    const vault = await download(ada, '/exports/obsidian?subject=biology');
    expect(vault.status).toBe(200);
    expect(vault.headers.get('content-type')).toBe('application/zip');
    const files = await unzip(vault.body);
    const biology = notes.filter((n) => n.subject === 'Biology');
    expect(files.size).toBe(biology.length + 1);
    expect([...files.keys()].every((p) => p.startsWith('Biology/') && p.endsWith('.md'))).toBe(true);
    const index = files.get('Biology/Biology index.md')!.toString('utf8');
    const names = new Set([...files.keys()].map((p) => p.split('/').at(-1)!.replace(/\.md$/, '')));
    let links = 0;
    for (const [file, body] of files)
      for (const [, target] of body.toString('utf8').matchAll(LINK)) {
        links++;
        expect([file, names.has(target)]).toEqual([file, true]);
      }
    expect(links).toBeGreaterThanOrEqual(biology.length);
    for (const n of biology) expect(index).toContain(n.title.includes(':') ? `|${n.title}]]` : `[[${n.title}]]`);
  }, 60_000);

  it('exports flashcards as an Anki package that opens as an Anki collection, and as CSV', async () => {
    const apkg = await download(ada, '/exports/anki?subject=Biology');
    expect(apkg.status).toBe(200);
    expect(apkg.headers.get('content-disposition')).toContain('.apkg"');
    const files = await unzip(apkg.body);
    expect([...files.keys()].sort()).toEqual(['collection.anki2', 'media']);
    const SQL = await initSqlJs();
    const db = new SQL.Database(files.get('collection.anki2')!);
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0].values.flat();
    expect(tables).toEqual(['cards', 'col', 'graves', 'notes', 'revlog']);
    const count = (sql: string) => Number(db.exec(sql)[0].values[0][0]);
    const cards = count('SELECT count(*) FROM cards');
    expect(cards).toBeGreaterThan(2);
    expect(count('SELECT count(*) FROM notes')).toBe(cards);
    expect(count("SELECT count(*) FROM notes WHERE tags LIKE '% subject::Biology %'")).toBe(cards);
    expect(count("SELECT count(*) FROM notes WHERE tags LIKE '% study-buddy::question %'")).toBeGreaterThan(0);
    db.close();

    const csv = await download(ada, '/exports/anki?format=csv&subject=Maths');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body.toString('utf8')).toMatch(/^\ufeff"front","back","tags","deck","kind"\r\n"/);
    expect(csv.body.toString('utf8')).toContain('"Study Buddy::Maths"');
  }, 60_000);

  it('refuses an export over the note limit with a 413 that says what to do', async () => {
    const refused = await download(ada, '/exports/obsidian');
    expect(refused.status).toBe(413);
    expect(refused.json()).toEqual({
      error: expect.objectContaining({
        code: 'payload_too_large',
        message: 'An export holds at most 2 notes; export one subject at a time (?subject=)',
      }),
    });
  });

  it("never exports another user's notes", async () => {
    const { client: bob } = await system.api.registerUser('bob@example.com');
    for (const format of ['md', 'pdf'])
      expect((await download(bob, `/notes/${notes[0].note_id}/download?format=${format}`)).status).toBe(404);
    const empty = await download(bob, '/exports/anki');
    expect([empty.status, empty.json().error.message]).toEqual([404, 'You have no notes to export yet']);
    expect((await download(bob, '/exports/obsidian?subject=Biology')).status).toBe(404);
  });

  it('limits exports per user with a 429 and Retry-After', async () => {
    // a user of their own (ada's exports above count in her window); refused exports count too
    const { client: carol } = await system.api.registerUser('carol@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await download(carol, '/exports/anki?format=csv')).status);
    expect(statuses).toEqual([...Array(9).fill(404), 429]);
    const limited = await download(carol, '/exports/obsidian');
    expect([limited.status, limited.json().error.code]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
