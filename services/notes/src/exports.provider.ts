import { Provider } from '@nestjs/common';
import { BlobStore } from '@study-buddy/blob-store';
import { BLOB_STORE } from '@study-buddy/nest-kit';
import { ExportLimits, ExportsService } from './exports.service';
import { notesExportLibrary } from './notes-export-library';
import { NotesService } from './notes.service';

export const exportsProvider = (limits: ExportLimits): Provider => ({
  provide: ExportsService,
  useFactory: (blobs: BlobStore, notes: NotesService) => new ExportsService(blobs, notesExportLibrary(notes), limits),
  inject: [BLOB_STORE, NotesService],
});
