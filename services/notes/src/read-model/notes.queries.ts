import { Pool } from 'pg';
import { decodeCursor, encodeCursor, ListNotesReply, ListNotesRequest, NoteView } from '@study-buddy/contracts';
import { quoteIdent } from '@study-buddy/event-store';

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
});

/** Reads of the `notes` projection, always scoped to the caller. */
export class NotesQueries {
  private readonly table: string;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.notes`;
  }

  async get(userId: string, noteId: string): Promise<(NoteView & { contentKey: string }) | null> {
    const { rows } = await this.pool.query<NoteRow>(`SELECT * FROM ${this.table} WHERE note_id = $1 AND user_id = $2`, [noteId, userId]);
    return rows[0] ? { ...toView(rows[0]), contentKey: rows[0].content_key } : null;
  }

  async list(request: ListNotesRequest): Promise<ListNotesReply | null> {
    const params: unknown[] = [request.userId];
    const where = ['user_id = $1'];
    if (request.subject) {
      params.push(request.subject);
      where.push(`lower(subject) = lower($${params.length})`);
    }
    if (request.cursor) {
      const cursor = decodeCursor(request.cursor);
      if (!cursor) return null;
      params.push(cursor.createdAt, cursor.id);
      where.push(`(created_at, note_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(request.limit + 1);
    const { rows } = await this.pool.query<NoteRow>(
      `SELECT * FROM ${this.table} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, note_id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor: rows.length > request.limit && last ? encodeCursor(last.created_at.toISOString(), last.note_id) : null,
    };
  }
}
