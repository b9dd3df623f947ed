import { z } from 'zod';
import { ServiceName, SERVICES } from '../subjects';
import { EventDefinition, isoDate, uuid } from '../events/define-event';
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

/**
 * Validates an envelope and its data against the published schema for its
 * source and type. A version newer than the definition this code knows is
 * refused (the consumer dead-letters it, to replay after an upgrade); an older
 * one is read with the current schema, since published schemas only evolve
 * compatibly. `definitionOf` is the published catalogue unless a test says otherwise.
 */
export function parseIntegrationEvent(
  raw: unknown,
  definitionOf: (source: ServiceName, type: string) => EventDefinition | undefined = publishedDefinition,
): IntegrationEvent {
  const envelope = integrationEventSchema.parse(raw);
  const definition = definitionOf(envelope.source, envelope.type);
  if (!definition) throw new Error(`Unknown integration event ${envelope.source}.${envelope.type}`);
  if (envelope.version > definition.version)
    throw new Error(
      `${envelope.source}.${envelope.type} v${envelope.version} is newer than v${definition.version}, the version this code knows`,
    );
  return { ...envelope, data: definition.schema.parse(envelope.data) };
}
