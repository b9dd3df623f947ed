import { IntegrationEvent, ServiceName } from '@study-buddy/contracts';
import { RecordedEvent } from '@study-buddy/event-store';

/** How a service's stored event becomes a published one: which events leave, and in what shape. */
export type IntegrationMapper = (event: RecordedEvent) => { type: string; version: number; data: unknown } | null;

export function toIntegrationEvent(
  source: ServiceName,
  event: RecordedEvent,
  mapped: { type: string; version: number; data: unknown },
): IntegrationEvent {
  return {
    id: event.id,
    type: mapped.type,
    version: mapped.version,
    source,
    stream: event.streamName,
    occurredAt: event.createdAt.toISOString(),
    data: mapped.data,
    metadata: event.metadata,
  };
}

/** Publishes the events named in `definitions` as they are stored; keeps everything else private. */
export function publishDefinitions(definitions: Record<string, { type: string; version: number }>): IntegrationMapper {
  const versions = new Map(Object.values(definitions).map((d) => [d.type, d.version]));
  return (event) => {
    const version = versions.get(event.type);
    return version === undefined ? null : { type: event.type, version, data: event.data };
  };
}
