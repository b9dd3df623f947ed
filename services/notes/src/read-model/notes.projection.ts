import { NotesEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, quoteIdent } from '@study-buddy/event-store';

/** `notes`: metadata of every note, for lists and detail pages (the Markdown stays in object storage). */
export function notesProjection(schema: string): PostgresProjection {
  const t = `${quoteIdent(schema)}.notes`;
  return {
    name: 'notes',
    handles: ['NoteCreated'],
    async setup(client) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${t} (
        note_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        video_id uuid NOT NULL,
        youtube_video_id text NOT NULL,
        video_url text NOT NULL,
        title text NOT NULL,
        subject text NOT NULL,
        tags text[] NOT NULL,
        concepts text[] NOT NULL,
        language text NOT NULL,
        summary text NOT NULL,
        word_count integer NOT NULL,
        content_key text NOT NULL,
        created_at timestamptz NOT NULL)`);
      await client.query(
        `CREATE INDEX IF NOT EXISTS notes_user_created ON ${t} (user_id, created_at DESC, note_id DESC)`,
      );
      await client.query(`CREATE INDEX IF NOT EXISTS notes_user_subject ON ${t} (user_id, subject)`);
    },
    async reset(client) {
      await client.query(`TRUNCATE ${t}`);
    },
    async apply(client, recorded) {
      const event = asEvent<NotesEvent>(recorded);
      if (event.type !== 'NoteCreated') return;
      const d = event.data;
      await client.query(
        `INSERT INTO ${t} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (note_id) DO NOTHING`,
        [
          d.noteId,
          d.userId,
          d.videoId,
          d.youtubeVideoId,
          d.videoUrl,
          d.note.title,
          d.note.subject,
          d.note.tags,
          d.note.concepts,
          d.note.language,
          d.note.summary,
          d.note.wordCount,
          d.contentKey,
          d.createdAt,
        ],
      );
    },
  };
}
