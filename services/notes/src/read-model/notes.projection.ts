import { PoolClient } from 'pg';
import { assertNever, NotesEvent } from '@study-buddy/contracts';
import { asEvent, PostgresProjection, prepared } from '@study-buddy/event-store';
import { relate } from '../domain/relatedness';
import { searchConfig } from './search-config';

/**
 * `notes`: metadata of every note, for lists and detail pages (the Markdown stays in object storage), with
 * its plain text and a weighted tsvector for search. `note_links`: the related pairs of each user's library.
 * v2: the video attempt a note came from; a withdrawn note (its video cancelled or deleted) is gone.
 * v3: edits (version), search (body text, language's text-search configuration, tsvector) and relations.
 */
export function notesProjection(): PostgresProjection<'notes' | 'note_links'> {
  return {
    name: 'notes',
    version: 3,
    tables: ['notes', 'note_links'],
    handles: ['NoteCreated', 'NoteEdited', 'NoteWithdrawn'],
    async setup(client, { notes: t, note_links: l }) {
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
        video_attempt integer NOT NULL DEFAULT 1,
        version integer NOT NULL DEFAULT 1,
        body_text text NOT NULL DEFAULT '',
        ts_config regconfig NOT NULL DEFAULT 'simple',
        search tsvector)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, created_at DESC, note_id DESC)`);
      await client.query(`CREATE INDEX ON ${t} (user_id, subject)`);
      await client.query(`CREATE INDEX ON ${t} USING GIN (search)`);
      await client.query(`CREATE INDEX ON ${t} USING GIN (tags)`);
      // one row per related pair (a < b), both directions read through (a = id OR b = id)
      await client.query(`CREATE TABLE ${l} (
        user_id uuid NOT NULL,
        a uuid NOT NULL,
        b uuid NOT NULL,
        score real NOT NULL,
        shared_concepts text[] NOT NULL,
        PRIMARY KEY (a, b))`);
      await client.query(`CREATE INDEX ON ${l} (user_id)`);
      await client.query(`CREATE INDEX ON ${l} (b)`);
    },
    async apply(client, recorded, tables) {
      const t = tables.notes;
      const event = asEvent<NotesEvent>(recorded);
      switch (event.type) {
        case 'NoteWithdrawn': {
          const w = event.data;
          await client.query(
            prepared(`DELETE FROM ${t} WHERE note_id = $1 AND ($2 OR video_attempt <= $3)`, [
              w.noteId,
              w.reason !== 'video_cancelled',
              w.throughAttempt,
            ]),
          );
          break;
        }
        case 'NoteCreated': {
          const d = event.data;
          // A retry's note replaces the earlier attempt's row (same note id).
          await client.query(
            prepared(
              `INSERT INTO ${t} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17)
             ON CONFLICT (note_id) DO UPDATE SET title = $6, subject = $7, tags = $8, concepts = $9, language = $10,
               summary = $11, word_count = $12, content_key = $13, created_at = $14, video_attempt = $15, version = 1,
               body_text = $16, ts_config = $17
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
                d.bodyText ?? '',
                searchConfig(d.note.language),
              ],
            ),
          );
          await indexForSearch(client, t, d.noteId);
          break;
        }
        case 'NoteEdited': {
          const d = event.data;
          await client.query(
            prepared(
              `UPDATE ${t} SET title = $2, subject = $3, tags = $4, body_text = $5, word_count = $6, content_key = $7,
               version = $8 WHERE note_id = $1 AND version < $8`,
              [d.noteId, d.title, d.subject, d.tags, d.bodyText, d.wordCount, d.contentKey, d.version],
            ),
          );
          await indexForSearch(client, t, d.noteId);
          break;
        }
        default:
          return assertNever(event, 'notes event');
      }
      await relateLibrary(client, tables, event.data.userId);
    },
  };
}

/** Title and concepts weigh most, then tags and summary, then the body, each stemmed for the note's language. */
async function indexForSearch(client: PoolClient, t: string, noteId: string) {
  await client.query(
    prepared(
      `UPDATE ${t} SET search =
       setweight(to_tsvector(ts_config, title), 'A') ||
       setweight(to_tsvector(ts_config, array_to_string(concepts, ' ')), 'A') ||
       setweight(to_tsvector(ts_config, array_to_string(tags, ' ')), 'B') ||
       setweight(to_tsvector(ts_config, summary), 'B') ||
       setweight(to_tsvector(ts_config, body_text), 'C')
     WHERE note_id = $1`,
      [noteId],
    ),
  );
}

/**
 * Recomputes the relations of one user's whole library: a new, edited or removed note changes its
 * neighbours' lists and the rarity of every term, so only a full pass keeps each pair's score the one
 * a rebuild would give (the same result however often an event is applied). Never reads another user.
 */
async function relateLibrary(client: PoolClient, tables: { notes: string; note_links: string }, userId: string) {
  const { rows } = await client.query<{
    note_id: string;
    title: string;
    subject: string;
    tags: string[];
    concepts: string[];
    summary: string;
    body_text: string;
  }>(
    prepared(
      `SELECT note_id, title, subject, tags, concepts, summary, body_text FROM ${tables.notes} WHERE user_id = $1`,
      [userId],
    ),
  );
  const relations = relate(
    rows.map((r) => ({
      noteId: r.note_id,
      title: r.title,
      subject: r.subject,
      tags: r.tags,
      concepts: r.concepts,
      summary: r.summary,
      bodyText: r.body_text,
    })),
  );
  await client.query(prepared(`DELETE FROM ${tables.note_links} WHERE user_id = $1`, [userId]));
  if (relations.length === 0) return;
  await client.query(
    prepared(
      `INSERT INTO ${tables.note_links} (user_id, a, b, score, shared_concepts)
     SELECT $1, a, b, score, ARRAY(SELECT jsonb_array_elements_text(shared))
     FROM jsonb_to_recordset($2::jsonb) AS r(a uuid, b uuid, score real, shared jsonb)`,
      [userId, JSON.stringify(relations.map((r) => ({ a: r.a, b: r.b, score: r.score, shared: r.sharedConcepts })))],
    ),
  );
}
