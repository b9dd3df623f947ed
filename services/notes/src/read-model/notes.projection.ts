import { assertNever, NotesEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/** `notes`: metadata of every note, for lists and detail pages (the Markdown stays in object storage). */
export function notesProjection(): PostgresProjection<'notes'> {
  return {
    name: 'notes',
    version: 1,
    tables: ['notes'],
    handles: ['NoteCreated'],
    async setup(client, { notes: t }) {
      await client.query(`CREATE TABLE ${t} (
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
      await client.query(`CREATE INDEX ON ${t} (user_id, created_at DESC, note_id DESC)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, subject)`);
    },
    async apply(client, recorded, { notes: t }) {
      const event = asEvent<NotesEvent>(recorded);
      if (event.type !== 'NoteCreated') return assertNever(event.type, 'notes event');
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
