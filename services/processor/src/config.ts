import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@study-buddy/config';

export const processorEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8082),
  /** `offline` writes extractive notes with no API key. */
  NOTE_WRITER: z.enum(['offline']).default('offline'),
  GENERATE_ASSESSMENT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How long a job may run between heartbeats before JetStream hands it to another worker. */
  JOB_ACK_WAIT_MS: z.coerce.number().int().min(5000).max(3_600_000).default(60_000),
});
export type ProcessorEnv = z.infer<typeof processorEnvSchema>;
export const loadProcessorEnv = () => loadEnv(processorEnvSchema);
export const PROCESSOR_ENV = Symbol('PROCESSOR_ENV');
