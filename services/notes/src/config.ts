import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const notesEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8083),
});
export const loadNotesEnv = () => loadEnv(notesEnvSchema);
