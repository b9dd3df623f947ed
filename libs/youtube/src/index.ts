export * from './captions';
export * from './client';
export * from './clients';
export * from './errors';
export * from './player-response';
export * from './playlist';
export * from './track-choice';
export { FetchLike } from './http';
export * from './settings';
