import { Core } from './client';
import { ApiError, apiErrorOf } from './errors';
import type { Note } from './types';

export interface NoteQuery {
  subject?: string;
  tag?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

/** A note as read, with the version an edit must name in If-Match. */
export interface ReadNote {
  note: Note;
  etag: string;
}

export function notesApi(core: Core) {
  return {
    list: (query: NoteQuery = {}) =>
      core.call(() =>
        core.http.GET('/notes', {
          params: { query: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '' && v !== undefined)) },
        }),
      ),
    read: async (id: string): Promise<ReadNote> => {
      const { data, response } = await core.callWithResponse(() =>
        core.http.GET('/notes/{id}', { params: { path: { id }, query: { include_content: 'true' } } }),
      );
      return { note: data as Note, etag: response.headers.get('etag') ?? `"${(data as Note).version ?? 1}"` };
    },
    /** PATCH with If-Match; a 412 (the note moved on) comes back as an ApiError with status 412. */
    edit: async (
      id: string,
      etag: string,
      changes: { title?: string; subject?: string; tags?: string[]; body?: string },
    ): Promise<ReadNote> => {
      const { data, response } = await core.callWithResponse(() =>
        core.http.PATCH('/notes/{id}', {
          params: { path: { id }, header: { 'If-Match': etag } as never },
          headers: { 'if-match': etag },
          body: changes,
        }),
      );
      return { note: data as Note, etag: response.headers.get('etag') ?? etag };
    },
    remove: (id: string) => core.call(() => core.http.DELETE('/notes/{id}', { params: { path: { id } } })),
    related: (id: string) =>
      core.call(() => core.http.GET('/notes/{id}/related', { params: { path: { id }, query: { limit: 10 } } })),
    subjects: () => core.call(() => core.http.GET('/subjects')),
    graph: () => core.call(() => core.http.GET('/graph')),
    /** A file the gateway sends as an attachment: its bytes and its name. */
    download: async (path: string): Promise<{ blob: Blob; filename: string }> => {
      const response = await core.fetch(path);
      if (!response.ok) throw await apiErrorOf(response);
      return { blob: await response.blob(), filename: filenameOf(response.headers.get('content-disposition')) };
    },
  };
}

/** The UTF-8 `filename*` when there is one, else the ASCII `filename`. */
export function filenameOf(disposition: string | null): string {
  if (!disposition) return 'download';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? 'download';
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 412;
