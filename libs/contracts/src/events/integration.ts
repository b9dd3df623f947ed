import { z } from 'zod';
import { ServiceName, SERVICES } from '../subjects';
import { EventDefinition, isoDate, uuid } from './define-event';
import { BillingIntegrationEvents } from './billing-events';
import { GatewayIntegrationEvents } from './gateway-events';
import { NotesIntegrationEvents } from './notes-events';
import { ProcessorIntegrationEvents } from './processor-events';
import { VideosIntegrationEvents } from './videos-events';

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

/** Every event a service publishes, by source service and type. */
export const INTEGRATION_EVENTS: Record<ServiceName, Record<string, EventDefinition>> = {
  gateway: GatewayIntegrationEvents,
  billing: BillingIntegrationEvents,
  videos: VideosIntegrationEvents,
  processor: ProcessorIntegrationEvents,
  notes: NotesIntegrationEvents,
};

/** Validates an envelope and its data against the published schema for its source and type. */
export function parseIntegrationEvent(raw: unknown): IntegrationEvent {
  const envelope = integrationEventSchema.parse(raw);
  const definition = INTEGRATION_EVENTS[envelope.source][envelope.type];
  if (!definition) throw new Error(`Unknown integration event ${envelope.source}.${envelope.type}`);
  return { ...envelope, data: definition.schema.parse(envelope.data) };
}
