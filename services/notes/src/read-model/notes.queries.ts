import { Pool } from 'pg';
import { ListNotesReply, ListNotesRequest, NoteView } from '@study-buddy/contracts';
import { keysetPage, quoteIdent } from '@study-buddy/event-store';

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
    const { rows } = await this.pool.query<NoteRow>(`SELECT * FROM ${this.table} WHERE note_id = $1 AND user_id = $2`, [
      noteId,
      userId,
    ]);
    return rows[0] ? { ...toView(rows[0]), contentKey: rows[0].content_key } : null;
  }

  async list(request: ListNotesRequest): Promise<ListNotesReply | null> {
    const where = ['user_id = $1'];
    const params: unknown[] = [request.userId];
    if (request.subject) {
      params.push(request.subject);
      where.push(`lower(subject) = lower($${params.length})`);
    }
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
}
