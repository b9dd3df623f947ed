import { z } from 'zod';
import { ServiceName } from '../subjects';
import { EventDefinition } from '../events/define-event';
import { BillingIntegrationEvents } from './billing';
import { GatewayIntegrationEvents } from './gateway';
import { NotesIntegrationEvents } from './notes';
import { ProcessorIntegrationEvents } from './processor';
import { VideosIntegrationEvents } from './videos';

/** Every event a service publishes, by source service and type: the public contract, apart from domain events. */
export const INTEGRATION_EVENTS = {
  gateway: GatewayIntegrationEvents,
  billing: BillingIntegrationEvents,
  videos: VideosIntegrationEvents,
  processor: ProcessorIntegrationEvents,
  notes: NotesIntegrationEvents,
} as const satisfies Record<ServiceName, Record<string, EventDefinition>>;

export type Published = typeof INTEGRATION_EVENTS;
export type PublishedType<S extends ServiceName> = keyof Published[S] & string;
export type PublishedDefinition<S extends ServiceName, T extends PublishedType<S>> = Published[S][T] & EventDefinition;
/** The data of a published event, as its consumers receive it (validated). */
export type PublishedData<S extends ServiceName, T extends PublishedType<S>> = z.infer<
  PublishedDefinition<S, T>['schema']
>;

/** The published definition of `source.type`, if `source` publishes it. */
export function publishedDefinition(source: ServiceName, type: string): EventDefinition | undefined {
  const definitions: Record<string, EventDefinition> = INTEGRATION_EVENTS[source];
  return Object.hasOwn(definitions, type) ? definitions[type] : undefined;
}
