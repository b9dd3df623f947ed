import { z } from 'zod';
import { defineEvent, EventsOf, isoDate, uuid } from './define-event';
import { noteMetadataSchema } from './processor-events';
import { youtubeVideoId } from './videos-events';

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
      createdAt: isoDate,
    }),
  ),
} as const;
export type NotesEvent = EventsOf<typeof NotesEvents>;
