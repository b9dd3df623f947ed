import { assertNever, NotesEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection } from '@study-buddy/event-store';

/**
 * `notes`: metadata of every note, for lists and detail pages (the Markdown stays in object storage).
 * v2: the video attempt a note came from; a withdrawn note (its video cancelled or deleted) is gone.
 */
export function notesProjection(): PostgresProjection<'notes'> {
  return {
    name: 'notes',
    version: 2,
    tables: ['notes'],
    handles: ['NoteCreated', 'NoteWithdrawn'],
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
        created_at timestamptz NOT NULL,
        video_attempt integer NOT NULL DEFAULT 1)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, created_at DESC, note_id DESC)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, subject)`);
    },
    async apply(client, recorded, { notes: t }) {
      const event = asEvent<NotesEvent>(recorded);
      if (event.type === 'NoteWithdrawn') {
        const w = event.data;
        await client.query(`DELETE FROM ${t} WHERE note_id = $1 AND ($2 OR video_attempt <= $3)`, [
          w.noteId,
          w.reason === 'video_deleted',
          w.throughAttempt,
        ]);
        return;
      }
      if (event.type !== 'NoteCreated') return assertNever(event, 'notes event');
      const d = event.data;
      // A retry's note replaces the earlier attempt's row (same note id).
      await client.query(
        `INSERT INTO ${t} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (note_id) DO UPDATE SET title = $6, subject = $7, tags = $8, concepts = $9, language = $10,
           summary = $11, word_count = $12, content_key = $13, created_at = $14, video_attempt = $15
         WHERE ${t}.video_attempt < $15`,
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
          d.videoAttempt ?? 1,
        ],
      );
    },
  };
}
