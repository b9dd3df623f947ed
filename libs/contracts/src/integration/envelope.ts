import { z } from 'zod';
import { SERVICES } from '../subjects';
import { isoDate, uuid } from '../events/define-event';
import { publishedDefinition } from './published';

/** The envelope every integration event travels in on JetStream. */
export const integrationEventSchema = z.object({
  id: uuid,
  type: z.string().min(1),
  version: z.number().int().positive(),
  source: z.enum(SERVICES),
  stream: z.string(),
  occurredAt: isoDate,
  data: z.unknown(),
  metadata: z.record(z.string(), z.unknown()),
});
export type IntegrationEvent<T = unknown> = Omit<z.infer<typeof integrationEventSchema>, 'data'> & { data: T };

/** Validates an envelope and its data against the published schema for its source and type. */
export function parseIntegrationEvent(raw: unknown): IntegrationEvent {
  const envelope = integrationEventSchema.parse(raw);
  const definition = publishedDefinition(envelope.source, envelope.type);
  if (!definition) throw new Error(`Unknown integration event ${envelope.source}.${envelope.type}`);
  return { ...envelope, data: definition.schema.parse(envelope.data) };
}
