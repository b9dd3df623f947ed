import { NoteView } from '@study-buddy/contracts';
import { ExportNote } from './export-note';

/** Where exports read the caller's notes from (the notes service in production, a fake in specs). */
export interface ExportLibrary {
  /** One page of the caller's notes (metadata only), oldest first or newest first: any stable order. */
  page(
    userId: string,
    subject: string | undefined,
    cursor: string | undefined,
  ): Promise<{ items: NoteView[]; nextCursor: string | null }>;
  /** One note with its Markdown as the user should receive it; not_found for anyone else's. */
  note(userId: string, noteId: string): Promise<ExportNote>;
}
