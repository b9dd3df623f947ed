import { Pool } from 'pg';
import {
  GraphReply,
  ListNotesReply,
  ListNotesRequest,
  NoteView,
  RelatedNotesReply,
  SubjectsReply,
} from '@study-buddy/contracts';
import { keysetPage, quoteIdent } from '@study-buddy/event-store';
import { SEARCH_CONFIGS } from './search-config';

interface NoteRow {
  note_id: string;
  user_id: string;
  video_id: string;
  youtube_video_id: string;
  video_url: string;
  title: string;
  subject: string;
  tags: string[];
  concepts: string[];
  language: string;
  summary: string;
  word_count: number;
  content_key: string;
  created_at: Date;
  version: number;
}

const toView = (r: NoteRow): NoteView => ({
  noteId: r.note_id,
  videoId: r.video_id,
  youtubeVideoId: r.youtube_video_id,
  videoUrl: r.video_url,
  title: r.title,
  subject: r.subject,
  tags: r.tags,
  concepts: r.concepts,
  language: r.language,
  summary: r.summary,
  wordCount: r.word_count,
  createdAt: r.created_at.toISOString(),
  version: r.version,
});

/** What rendering a note's links needs to know about the rest of its owner's library. */
export interface LibraryEntry {
  noteId: string;
  title: string;
  concepts: string[];
  createdAt: string;
}

/** The text of a query, parsed with every configuration a note may be indexed with (one constant: the GIN index applies). */
const SEARCH_QUERY = (param: string) =>
  `(${SEARCH_CONFIGS.map((c) => `websearch_to_tsquery('${c}', ${param})`).join(' || ')})`;
const COLUMNS = `note_id, user_id, video_id, youtube_video_id, video_url, title, subject, tags, concepts, language,
  summary, word_count, content_key, created_at, version`;

const encodeRankCursor = (rank: string, id: string) =>
  Buffer.from(JSON.stringify(['rank', rank, id])).toString('base64url');
function decodeRankCursor(cursor: string): { rank: string; id: string } | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && v[0] === 'rank' && typeof v[1] === 'string' && typeof v[2] === 'string')
      if (/^\d+(\.\d+)?(e-?\d+)?$/i.test(v[1]) && /^[0-9a-f-]{36}$/i.test(v[2])) return { rank: v[1], id: v[2] };
  } catch {
    /* not a cursor we issued */
  }
  return null;
}

/** Reads of the `notes` projection, always scoped to the caller. */
export class NotesQueries {
  private readonly table: string;
  private readonly links: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.notes`;
    this.links = `${quoteIdent(schema)}.note_links`;
  }

  async get(userId: string, noteId: string): Promise<(NoteView & { contentKey: string }) | null> {
    const { rows } = await this.pool.query<NoteRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE note_id = $1 AND user_id = $2`,
      [noteId, userId],
    );
    return rows[0] ? { ...toView(rows[0]), contentKey: rows[0].content_key } : null;
  }

  /** Newest first; with `q`, the matching notes best first, each with a highlighted snippet. */
  async list(request: ListNotesRequest): Promise<ListNotesReply | null> {
    const where = ['user_id = $1'];
    const params: unknown[] = [request.userId];
    if (request.subject) {
      params.push(request.subject);
      where.push(`lower(subject) = lower($${params.length})`);
    }
    if (request.tag) {
      params.push(request.tag);
      where.push(`EXISTS (SELECT 1 FROM unnest(tags) tag WHERE lower(tag) = lower($${params.length}))`);
    }
    if (request.q?.trim()) return this.search(request.q, where, params, request.cursor, request.limit);
    const page = await keysetPage<NoteRow>(this.pool, {
      table: this.table,
      idColumn: 'note_id',
      where,
      params,
      cursor: request.cursor,
      limit: request.limit,
    });
    return page && { items: page.rows.map(toView), nextCursor: page.nextCursor };
  }

  /** Keyset over (rank, id): the rank is a float4 sent back as PostgreSQL printed it, so it compares exactly. */
  private async search(q: string, where: string[], params: unknown[], cursor: string | undefined, limit: number) {
    params.push(q);
    const query = SEARCH_QUERY(`$${params.length}`);
    where.push(`search @@ ${query}`);
    const outer: string[] = [];
    if (cursor) {
      const c = decodeRankCursor(cursor);
      if (!c) return null;
      params.push(c.rank, c.id);
      outer.push(`WHERE (rank, note_id) < ($${params.length - 1}::real, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const { rows } = await this.pool.query<NoteRow & { rank: string; snippet: string }>(
      `SELECT * FROM (
         SELECT ${COLUMNS}, ts_rank_cd(search, ${query})::real AS rank,
           ts_headline(ts_config, CASE WHEN body_text <> '' THEN body_text ELSE summary END, ${query},
             'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
         FROM ${this.table} WHERE ${where.join(' AND ')}) ranked
       ${outer.join(' ')} ORDER BY rank DESC, note_id DESC LIMIT $${params.length}`,
      params,
    );
    // a float4 prints back exactly, so the cursor's rank compares equal to the row's
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ ...toView(r), snippet: r.snippet })),
      nextCursor: rows.length > limit && last ? encodeRankCursor(String(last.rank), last.note_id) : null,
    };
  }

  async subjects(userId: string): Promise<SubjectsReply> {
    // a subject is one subject whatever its case; it is shown as first spelled
    const { rows } = await this.pool.query<{ subject: string; note_count: number }>(
      `SELECT (array_agg(subject ORDER BY created_at))[1] AS subject, count(*)::int AS note_count
       FROM ${this.table} WHERE user_id = $1 GROUP BY lower(subject) ORDER BY note_count DESC, 1`,
      [userId],
    );
    return { items: rows.map((r) => ({ subject: r.subject, noteCount: r.note_count })) };
  }

  /** Every note of the user, oldest first (link titles and targets are computed over the whole library). */
  async library(userId: string): Promise<LibraryEntry[]> {
    const { rows } = await this.pool.query<{ note_id: string; title: string; concepts: string[]; created_at: Date }>(
      `SELECT note_id, title, concepts, created_at FROM ${this.table} WHERE user_id = $1 ORDER BY created_at, note_id`,
      [userId],
    );
    return rows.map((r) => ({
      noteId: r.note_id,
      title: r.title,
      concepts: r.concepts,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** The note's related notes, strongest first (each pair is stored once, so both ends are read). */
  async related(
    userId: string,
    noteId: string,
    limit: number,
  ): Promise<Omit<RelatedNotesReply['items'][number], 'linkTitle'>[]> {
    const { rows } = await this.pool.query<{
      note_id: string;
      title: string;
      subject: string;
      score: number;
      shared_concepts: string[];
    }>(
      `SELECT n.note_id, n.title, n.subject, l.score, l.shared_concepts
       FROM ${this.links} l JOIN ${this.table} n ON n.note_id = CASE WHEN l.a = $2 THEN l.b ELSE l.a END
       WHERE l.user_id = $1 AND n.user_id = $1 AND (l.a = $2 OR l.b = $2)
       ORDER BY l.score DESC, n.note_id LIMIT $3`,
      [userId, noteId, limit],
    );
    return rows.map((r) => ({
      noteId: r.note_id,
      title: r.title,
      subject: r.subject,
      score: r.score,
      sharedConcepts: r.shared_concepts,
    }));
  }

  async graph(userId: string): Promise<GraphReply> {
    const [nodes, edges] = await Promise.all([
      this.pool.query<{ note_id: string; title: string; subject: string }>(
        `SELECT note_id, title, subject FROM ${this.table} WHERE user_id = $1 ORDER BY created_at, note_id`,
        [userId],
      ),
      this.pool.query<{ a: string; b: string; score: number }>(
        `SELECT a, b, score FROM ${this.links} WHERE user_id = $1 ORDER BY score DESC, a, b`,
        [userId],
      ),
    ]);
    return {
      nodes: nodes.rows.map((r) => ({ noteId: r.note_id, title: r.title, subject: r.subject })),
      edges: edges.rows.map((r) => ({ source: r.a, target: r.b, weight: r.score })),
    };
  }
}
