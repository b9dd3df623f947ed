import { randomUUID } from 'node:crypto';
import { INTEGRATION_EVENTS, IntegrationEvent, parseIntegrationEvent, ServiceName } from '@study-buddy/contracts';

/**
 * An integration event exactly as a consumer receives it off JetStream: the
 * envelope, validated against the source's published schema, so a spec cannot
 * feed a handler something the publisher never sends.
 */
export function integrationEvent(
  source: ServiceName,
  type: string,
  data: unknown,
  options: { id?: string; stream?: string; metadata?: Record<string, unknown> } = {},
): IntegrationEvent {
  const definition = INTEGRATION_EVENTS[source][type];
  if (!definition) throw new Error(`${source} does not publish ${type}`);
  return parseIntegrationEvent({
    id: options.id ?? randomUUID(),
    type,
    version: definition.version,
    source,
    stream: options.stream ?? `${source}-stream`,
    occurredAt: new Date().toISOString(),
    data,
    metadata: options.metadata ?? {},
  });
}
