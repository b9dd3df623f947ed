import { NotesEvents } from '@study-buddy/contracts';
import { definePublications } from '@study-buddy/messaging';

/** What leaves notes: a filed note and what it is about, not where its body is stored. NoteWithdrawn stays private. */
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
});
