import { Core } from './client';

export function videosApi(core: Core) {
  return {
    info: (url: string) => core.call(() => core.http.GET('/videos/info', { params: { query: { url } } })),
    submit: (body: { url: string; subject?: string; language?: string; transcript?: string }) =>
      core.call(() => core.http.POST('/videos', { body })),
    submitPlaylist: (body: { url: string; subject?: string; language?: string; partial?: boolean }) =>
      core.call(() => core.http.POST('/videos/playlist', { body })),
    list: (query: { status?: string; cursor?: string; limit?: number } = {}) =>
      core.call(() => core.http.GET('/videos', { params: { query: query as never } })),
    get: (id: string) => core.call(() => core.http.GET('/videos/{id}', { params: { path: { id } } })),
    cancel: (id: string) => core.call(() => core.http.POST('/videos/{id}/cancel', { params: { path: { id } } })),
    retry: (id: string, attempt?: number) =>
      core.call(() =>
        core.http.POST('/videos/{id}/retry', { params: { path: { id } }, body: attempt ? { attempt } : {} }),
      ),
    remove: (id: string) => core.call(() => core.http.DELETE('/videos/{id}', { params: { path: { id } } })),
  };
}
