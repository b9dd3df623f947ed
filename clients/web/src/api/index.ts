import { authApi } from './auth';
import { Core } from './client';
import { creditsApi } from './credits';
import { notesApi } from './notes';
import { Session } from './session';
import { videosApi } from './videos';

export function createApi(session = new Session()) {
  const core = new Core(session);
  return {
    session,
    core,
    auth: authApi(core),
    videos: videosApi(core),
    notes: notesApi(core),
    credits: creditsApi(core),
  };
}
export type Api = ReturnType<typeof createApi>;
export { ApiError, messageOf } from './errors';
export type * from './types';
