import { NotesEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves notes: a filed note and what it is about, and a withdrawn one, not where their bodies are stored. */
export const notesPublications = definePublications('notes', NotesEvents, {
  NoteCreated: ({ noteId, userId, videoId, youtubeVideoId, note, videoAttempt, createdAt }) => ({
    noteId,
    userId,
    videoId,
    youtubeVideoId,
    note: {
      title: note.title,
      subject: note.subject,
      tags: note.tags,
      concepts: note.concepts,
      language: note.language,
    },
    videoAttempt,
    createdAt,
  }),
  NoteWithdrawn: ({ noteId, userId, videoId, reason, withdrawnAt }) => ({
    noteId,
    userId,
    videoId,
    reason,
    withdrawnAt,
  }),
});
