import { ExportLibrary } from './exports/export-library';
import { NotesService } from './notes.service';

/**
 * Exports read notes through the notes service, scoped to the caller like every read.
 * `note` is the one place a note's exported Markdown comes from: when the knowledge base renders
 * notes with their generated Related notes section, switch this line to that function.
 */
export function notesExportLibrary(notes: NotesService): ExportLibrary {
  return {
    page: (userId, subject, cursor) => notes.list({ userId, subject, cursor, limit: 100 }),
    async note(userId, noteId) {
      const { content, ...view } = await notes.get(userId, noteId, true);
      return { ...view, markdown: content ?? '' };
    },
  };
}
