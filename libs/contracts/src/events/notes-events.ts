import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';
import { noteMetadataSchema } from './processor-events';
import { videoAttempt, youtubeVideoId } from './videos-events';

const noteBodyText = z.string().max(500_000);

/** Stream `note-<id>`, owned by notes. */
export const NotesEvents = {
  NoteCreated: defineEvent(
    'NoteCreated',
    1,
    z.object({
      noteId: uuid,
      userId: uuid,
      videoId: uuid,
      youtubeVideoId,
      videoUrl: z.string().url(),
      contentKey: z.string(),
      note: noteMetadataSchema,
      // the video's submission the note came from (absent = 1)
      videoAttempt: videoAttempt.optional(),
      /** The note's text without Markdown, for search and relatedness (absent in notes filed before). */
      bodyText: noteBodyText.optional(),
      createdAt: isoDate,
    }),
  ),
  /**
   * The owner edited the note: `version` is the note's new version, `contentKey` the new object holding it
   * (every version keeps its own object). Metadata fields carry their new values, changed or not.
   */
  NoteEdited: defineEvent(
    'NoteEdited',
    1,
    z.object({
      noteId: uuid,
      userId: uuid,
      version: z.number().int().min(2),
      contentKey: z.string(),
      title: noteMetadataSchema.shape.title,
      subject: noteMetadataSchema.shape.subject,
      tags: noteMetadataSchema.shape.tags,
      bodyText: noteBodyText,
      wordCount: z.number().int().nonnegative(),
      editedAt: isoDate,
    }),
  ),
  /**
   * The note of a cancelled or deleted video is gone (or never appears): `throughAttempt` bars notes of that
   * attempt and earlier, a deletion bars every later one too. The stream keeps the history.
   */
  NoteWithdrawn: defineEvent(
    'NoteWithdrawn',
    1,
    z.object({
      noteId: uuid,
      userId: uuid,
      videoId: uuid,
      throughAttempt: videoAttempt,
      // note_deleted: its owner deleted the note itself (it bars later attempts like a deleted video)
      reason: z.enum(['video_cancelled', 'video_deleted', 'note_deleted']),
      // where the withdrawn note's content was, if the note had been filed
      contentKey: z.string().optional(),
      // every version's object, when the note had been edited
      contentKeys: z.array(z.string()).optional(),
      withdrawnAt: isoDate,
    }),
  ),
} as const;

/** The note of a video has one id for every attempt: the processor derives it, notes withdraws by it. */
export const noteIdSeed = (videoId: string) => `note/${videoId}`;
export type NotesEvent = EventsOf<typeof NotesEvents>;
