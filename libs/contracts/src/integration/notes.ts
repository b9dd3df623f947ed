import { z } from 'zod';
import { defineEvent, isoDate, uuid } from '../events/define-event';
import { noteMetadataSchema } from '../events/processor-events';
import { videoAttempt, youtubeVideoId } from '../events/videos-events';

/**
 * A filed note, as other services may see it: who owns it, which video it came
 * from, and what it is about (enough to link it in a knowledge base), but not
 * where its body is stored. A subset of the domain event published before, so
 * version 1 messages already in the stream still validate.
 */
export const NotesIntegrationEvents = {
  NoteCreated: defineEvent(
    'NoteCreated',
    1,
    z.object({
      noteId: uuid,
      userId: uuid,
      videoId: uuid,
      youtubeVideoId,
      note: noteMetadataSchema.pick({ title: true, subject: true, tags: true, concepts: true, language: true }),
      videoAttempt: videoAttempt.optional(),
      createdAt: isoDate,
    }),
  ),
  /** A note taken back: its video cancelled or deleted, or (`note_deleted`) the note deleted by its owner. */
  NoteWithdrawn: defineEvent(
    'NoteWithdrawn',
    1,
    z.object({
      noteId: uuid,
      userId: uuid,
      videoId: uuid,
      reason: z.enum(['video_cancelled', 'video_deleted', 'note_deleted']),
      withdrawnAt: isoDate,
    }),
  ),
} as const;
