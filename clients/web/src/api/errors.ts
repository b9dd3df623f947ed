export { ApiError, apiErrorOf } from '@study-buddy/api-client';

export const messageOf = (e: unknown) => (e instanceof Error ? e.message : 'Something went wrong; please try again.');
