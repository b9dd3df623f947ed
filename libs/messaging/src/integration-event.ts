import { z } from 'zod';
import {
  EventDefinition,
  IntegrationEvent,
  PublishedData,
  publishedDefinition,
  PublishedType,
  ServiceName,
} from '@study-buddy/contracts';
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

type DomainData<D, K> = K extends keyof D
  ? D[K] extends EventDefinition<string, infer Z>
    ? z.infer<Z>
    : never
  : never;

/**
 * One mapping per published type, from the domain event of the same name:
 * every published type must be mapped (and have a domain event to come from),
 * and each returns the published shape, checked at compile time.
 */
export type PublicationMap<S extends ServiceName, D extends Record<string, EventDefinition>> = {
  readonly [P in PublishedType<S>]: P extends keyof D ? (data: DomainData<D, P>) => PublishedData<S, P> : never;
};

/** What a service's outbox relay publishes. */
export interface Publications {
  readonly source: ServiceName;
  readonly types: readonly string[];
  readonly map: IntegrationMapper;
}

/**
 * A service's publications: a domain event with a mapping leaves as its
 * integration event, validated against the published schema (a mapping that
 * produces invalid data fails the relay instead of publishing it); every other
 * domain event stays private.
 */
export function definePublications<S extends ServiceName, D extends Record<string, EventDefinition>>(
  source: S,
  domain: D,
  mappings: PublicationMap<S, D>,
): Publications {
  const table = mappings as unknown as Record<string, (data: unknown) => unknown>;
  const types = Object.keys(table);
  for (const type of types) {
    if (!Object.hasOwn(domain, type)) throw new Error(`${source} publishes ${type}, but has no such domain event`);
    if (!publishedDefinition(source, type)) throw new Error(`${source} does not declare ${type} as published`);
  }
  return {
    source,
    types,
    map(event) {
      if (!Object.hasOwn(table, event.type)) return null;
      const definition = publishedDefinition(source, event.type)!;
      const parsed = definition.schema.safeParse(table[event.type](event.data));
      if (!parsed.success)
        throw new Error(
          `${source}.${event.type} from event ${event.id} breaks its published schema: ${parsed.error.message}`,
        );
      return { type: definition.type, version: definition.version, data: parsed.data };
    },
  };
}
