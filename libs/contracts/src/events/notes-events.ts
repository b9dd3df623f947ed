import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';
import { noteMetadataSchema } from './processor-events';
import { videoAttempt, youtubeVideoId } from './videos-events';

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
      createdAt: isoDate,
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
      reason: z.enum(['video_cancelled', 'video_deleted']),
      // where the withdrawn note's content was, if the note had been filed
      contentKey: z.string().optional(),
      withdrawnAt: isoDate,
    }),
  ),
} as const;

/** The note of a video has one id for every attempt: the processor derives it, notes withdraws by it. */
export const noteIdSeed = (videoId: string) => `note/${videoId}`;
export type NotesEvent = EventsOf<typeof NotesEvents>;
