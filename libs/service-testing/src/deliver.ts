import { PublishedData, PublishedType, ServiceName } from '@study-buddy/contracts';
import { HandlerMap, MessageContext } from '@study-buddy/messaging';
import { integrationEvent } from './integration-events';

/**
 * Hands one integration event to a consumer's handler map as the durable
 * consumer would: the envelope validated against the published schema, the
 * handler for its type, the event id that makes a redelivery harmless.
 * Returns the event id, to deliver the same event again.
 */
export async function deliver<S extends ServiceName, T extends PublishedType<S>, K extends T>(
  handlers: HandlerMap<S, T>,
  source: S,
  type: K,
  data: PublishedData<S, K>,
  options: { id?: string; context?: MessageContext; attempt?: number; maxAttempts?: number } = {},
): Promise<string> {
  const event = integrationEvent(source, type, data, { id: options.id });
  const handler = handlers[type];
  await handler(event.data, options.context ?? {}, {
    attempt: options.attempt ?? 1,
    maxAttempts: options.maxAttempts ?? 5,
    eventId: event.id,
    occurredAt: event.occurredAt,
  });
  return event.id;
}
