import { randomUUID } from 'node:crypto';
import {
  IntegrationEvent,
  parseIntegrationEvent,
  PublishedData,
  publishedDefinition,
  PublishedType,
  ServiceName,
} from '@study-buddy/contracts';

/**
 * An integration event exactly as a consumer receives it off JetStream: the
 * envelope, validated against the source's published schema, so a spec cannot
 * feed a handler something the publisher never sends.
 */
export function integrationEvent<S extends ServiceName, T extends PublishedType<S>>(
  source: S,
  type: T,
  data: PublishedData<S, T>,
  options: { id?: string; stream?: string; metadata?: Record<string, unknown> } = {},
): IntegrationEvent<PublishedData<S, T>> {
  const definition = publishedDefinition(source, type);
  if (!definition) throw new Error(`${source} does not publish ${type}`);
  const event = parseIntegrationEvent({
    id: options.id ?? randomUUID(),
    type,
    version: definition.version,
    source,
    stream: options.stream ?? `${source}-stream`,
    occurredAt: new Date().toISOString(),
    data,
    metadata: options.metadata ?? {},
  });
  // parseIntegrationEvent validated `data` against exactly this published schema.
  return { ...event, data: event.data as PublishedData<S, T> };
}
