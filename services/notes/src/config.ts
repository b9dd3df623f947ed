import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const notesEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8083),
  /** Notes one export (vault, deck, CSV) may hold; more is a 413 that suggests exporting one subject. */
  EXPORT_MAX_NOTES: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Largest export file: it is built in memory before it is stored in chunks, so this bounds the service's memory. */
  EXPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(32 * 1024 * 1024),
});
export type NotesEnv = z.infer<typeof notesEnvSchema>;
export const loadNotesEnv = () => loadEnv(notesEnvSchema);
