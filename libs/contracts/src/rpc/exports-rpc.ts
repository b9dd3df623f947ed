import { z } from 'zod';
import { uuid } from '../events/define-event';
import { resourceId } from '../validation';

/** What can be exported: one note (Markdown or PDF), or the caller's library (Obsidian vault, Anki deck or CSV). */
export const exportKind = z.enum(['note_md', 'note_pdf', 'obsidian', 'anki', 'anki_csv']);
export type ExportKind = z.infer<typeof exportKind>;

/**
 * The notes service builds the export, stores it in chunks and answers with how to fetch them;
 * `noteId` is required for the one-note kinds, `subject` narrows a library export.
 */
export const prepareExportRequest = z
  .object({
    userId: uuid,
    kind: exportKind,
    noteId: resourceId.optional(),
    subject: z.string().min(1).max(100).optional(),
  })
  .refine((r) => !r.kind.startsWith('note_') || r.noteId !== undefined, {
    message: 'noteId is required to export one note',
    path: ['noteId'],
  });
export type PrepareExportRequest = z.infer<typeof prepareExportRequest>;

export const preparedExport = z.object({
  exportId: uuid,
  contentType: z.string(),
  fileName: z.string(),
  size: z.number().int().min(0),
  chunkCount: z.number().int().min(0),
  notes: z.number().int().min(0),
});
export type PreparedExport = z.infer<typeof preparedExport>;

export const exportChunkRequest = z.object({
  userId: uuid,
  exportId: uuid,
  index: z.number().int().min(0).max(100_000),
});
export type ExportChunkRequest = z.infer<typeof exportChunkRequest>;
/** One chunk's bytes, base64: small enough that the reply fits NATS's max_payload (1 MB by default). */
export const exportChunk = z.object({ data: z.string() });
export type ExportChunk = z.infer<typeof exportChunk>;

export const discardExportRequest = z.object({ userId: uuid, exportId: uuid });
export type DiscardExportRequest = z.infer<typeof discardExportRequest>;
export const discardedExport = z.object({ removed: z.number().int().min(0) });
