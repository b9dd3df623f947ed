import { randomUUID } from 'node:crypto';
import {
  AppError,
  DiscardExportRequest,
  ExportChunk,
  ExportChunkRequest,
  NoteView,
  PreparedExport,
  PrepareExportRequest,
} from '@study-buddy/contracts';
import { BlobStore } from '@study-buddy/blob-store';
import { buildAnkiPackage } from './exports/anki-apkg';
import { buildFlashcardCsv } from './exports/anki-csv';
import { chunkKey, chunks, EXPORT_TTL_MS, exportPrefix } from './exports/chunking';
import { ExportLibrary } from './exports/export-library';
import { buildNoteMarkdown, ExportNote } from './exports/export-note';
import { safeFileName } from './exports/file-names';
import { noteFlashcards } from './exports/flashcards';
import { buildNotePdf } from './exports/note-pdf';
import { buildObsidianVault } from './exports/obsidian-vault';

export interface ExportLimits {
  maxNotes: number;
  maxBytes: number;
}

interface Built {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  notes: number;
}

/** Notes read at once while a library export gathers its Markdown. */
const READ_CONCURRENCY = 4;
const MB = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Exports, built here and handed to the gateway in chunks. NATS replies are bounded (max_payload,
 * 1 MB by default), so `prepare` builds the file, stores it in object storage as chunks under
 * `exports/<userId>/<exportId>/<n>` and answers with their count; the gateway streams the HTTP
 * reply by fetching one chunk per RPC and discards the export when done. The user id is part of
 * every key, so nobody reads another user's export even with its id; one nobody fetched is
 * removed after an hour, when the same user prepares another.
 */
export class ExportsService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly library: ExportLibrary,
    private readonly limits: ExportLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async prepare(request: PrepareExportRequest): Promise<PreparedExport> {
    await this.sweep(request.userId);
    const built = await this.build(request);
    if (built.bytes.length > this.limits.maxBytes)
      throw new AppError(
        'payload_too_large',
        `This export would be ${MB(built.bytes.length)}; the limit is ${MB(this.limits.maxBytes)}. Export one subject at a time (?subject=)`,
        { size: built.bytes.length, maxBytes: this.limits.maxBytes },
      );
    const exportId = randomUUID();
    const parts = chunks(built.bytes);
    for (const [index, part] of parts.entries())
      await this.blobs.put(chunkKey(request.userId, exportId, index), part, 'application/octet-stream');
    return {
      exportId,
      contentType: built.contentType,
      fileName: built.fileName,
      size: built.bytes.length,
      chunkCount: parts.length,
      notes: built.notes,
    };
  }

  async chunk({ userId, exportId, index }: ExportChunkRequest): Promise<ExportChunk> {
    const bytes = await this.blobs.getBytes(chunkKey(userId, exportId, index));
    if (!bytes) throw new AppError('not_found', 'This export is not available (any more): prepare a new one');
    return { data: bytes.toString('base64') };
  }

  async discard({ userId, exportId }: DiscardExportRequest): Promise<{ removed: number }> {
    let removed = 0;
    for await (const entry of this.blobs.list(exportPrefix(userId, exportId))) {
      await this.blobs.delete(entry.key);
      removed++;
    }
    return { removed };
  }

  private async build(request: PrepareExportRequest): Promise<Built> {
    const { userId, kind, subject } = request;
    if (kind === 'note_md' || kind === 'note_pdf') {
      const note = await this.library.note(userId, request.noteId!);
      const name = safeFileName(note.title);
      return kind === 'note_md'
        ? {
            bytes: buildNoteMarkdown(note),
            contentType: 'text/markdown; charset=utf-8',
            fileName: `${name}.md`,
            notes: 1,
          }
        : { bytes: await buildNotePdf(note), contentType: 'application/pdf', fileName: `${name}.pdf`, notes: 1 };
    }
    const notes = await this.allNotes(userId, subject);
    const base = subject ? `Study Buddy - ${safeFileName(subject)}` : 'Study Buddy';
    if (kind === 'obsidian')
      return {
        bytes: buildObsidianVault(notes, this.now()),
        contentType: 'application/zip',
        fileName: `${base} vault.zip`,
        notes: notes.length,
      };
    const cards = notes.flatMap(noteFlashcards);
    return kind === 'anki'
      ? {
          bytes: await buildAnkiPackage(cards, this.now().getTime()),
          contentType: 'application/apkg',
          fileName: `${base}.apkg`,
          notes: notes.length,
        }
      : {
          bytes: buildFlashcardCsv(cards),
          contentType: 'text/csv; charset=utf-8',
          fileName: `${base} flashcards.csv`,
          notes: notes.length,
        };
  }

  /** The caller's notes (in a subject), refused before any Markdown is read when there are more than the limit. */
  private async allNotes(userId: string, subject: string | undefined): Promise<ExportNote[]> {
    const views: NoteView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.library.page(userId, subject, cursor);
      views.push(...page.items);
      if (views.length > this.limits.maxNotes)
        throw new AppError(
          'payload_too_large',
          `An export holds at most ${this.limits.maxNotes} notes${subject ? '' : '; export one subject at a time (?subject=)'}`,
          { maxNotes: this.limits.maxNotes },
        );
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (views.length === 0)
      throw new AppError(
        'not_found',
        subject ? `You have no notes in the subject "${subject}"` : 'You have no notes to export yet',
      );
    const notes: ExportNote[] = new Array(views.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < views.length; i = next++) notes[i] = await this.library.note(userId, views[i].noteId);
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, views.length) }, worker));
    return notes;
  }

  /** Removes the caller's exports older than the TTL: what a gateway that stopped mid-download left behind. */
  private async sweep(userId: string): Promise<void> {
    const cutoff = this.now().getTime() - EXPORT_TTL_MS;
    for await (const entry of this.blobs.list(exportPrefix(userId)))
      if (entry.lastModified.getTime() < cutoff) await this.blobs.delete(entry.key);
  }
}
