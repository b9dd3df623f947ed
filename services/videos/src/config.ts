import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const videosEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8081),
});
export type VideosEnv = z.infer<typeof videosEnvSchema>;
export const loadVideosEnv = () => loadEnv(videosEnvSchema);
