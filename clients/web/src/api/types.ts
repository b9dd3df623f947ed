import type { ProgressData, paths } from '@study-buddy/api-client';

/** The JSON a route answers with this status, as the OpenAPI document (and so the generated types) says. */
type Json<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: infer R;
}
  ? S extends keyof R
    ? R[S] extends { content: { 'application/json': infer B } }
      ? B
      : never
    : never
  : never;

export type TokenPair = Json<'/auth/login', 'post'>;
export type Me = Json<'/auth/me', 'get'>;
export type VideoInfo = Json<'/videos/info', 'get'>;
export type Video = Json<'/videos/{id}', 'get'>;
export type VideoPage = Json<'/videos', 'get'>;
export type Submitted = Json<'/videos', 'post', 202>;
export type PlaylistSubmitted = Json<'/videos/playlist', 'post', 202>;
export type Note = Json<'/notes/{id}', 'get'>;
export type NotePage = Json<'/notes', 'get'>;
export type NoteSummary = NotePage['items'][number];
export type Related = Json<'/notes/{id}/related', 'get'>['items'][number];
export type Subjects = Json<'/subjects', 'get'>['items'];
export type Graph = Json<'/graph', 'get'>;
export type Credits = Json<'/credits', 'get'>;
export type CreditPackage = Json<'/credits/packages', 'get'>['items'][number];
export type HistoryPage = Json<'/credits/history', 'get'>;
export type Usage = Json<'/usage', 'get'>;
export type Checkout = Json<'/credits/checkout', 'post', 201>;

/** One update of `GET /events` (the gateway's snake_case progress data). */
export type ProgressUpdate = ProgressData;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
