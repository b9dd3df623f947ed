import { NatsConnection } from 'nats';
import {
  durableName,
  eventSubject,
  PublishedData,
  PublishedType,
  ServiceName,
  SubscribedSource,
  SubscribedType,
  Subscription,
} from '@study-buddy/contracts';
import { MessageContext } from '../headers';
import { createDurableConsumer, Delivery, DurableConsumer, DurableConsumerOptions } from './durable-consumer';
import { ProcessedEvents } from './processed-events';
import { isNotFound, MessagingTopology } from './streams';

/** A delivery of one event: which attempt, and the event's id (commands derive their ids from it). */
export interface EventDelivery extends Delivery {
  eventId: string;
  occurredAt: string;
}

export type EventHandler<T> = (data: T, context: MessageContext, delivery: EventDelivery) => Promise<void>;

/** One handler per handled type, each receiving data typed (and validated) by the published schema. */
export type HandlerMap<S extends ServiceName, T extends PublishedType<S>> = {
  readonly [K in T]: EventHandler<PublishedData<S, K>>;
};

/** The handlers consumer `C` must provide for source `S`: exactly the types SUBSCRIPTIONS lists. */
export type HandlersFor<C extends ServiceName, S extends SubscribedSource<C>> = HandlerMap<S, SubscribedType<C, S>>;

export interface SubscriptionConsumerOptions<S extends ServiceName, T extends PublishedType<S>> extends Omit<
  DurableConsumerOptions,
  'durable' | 'name' | 'filterSubject' | 'handler' | 'startSequence' | 'expectType'
> {
  subscription: Subscription<S, T>;
  handlers: HandlerMap<S, T>;
  nc: NatsConnection;
  topology: MessagingTopology;
  processed: ProcessedEvents;
}

/**
 * One logical consumer (a service reading one source) as one JetStream durable
 * per handled type, each filtered on `evt.<source>.<Type>`: only what a handler
 * acts on is delivered. They share the logical name for processed events, dead
 * letters and replays. An old-style durable under the logical name (one
 * wildcard filter) is migrated at start, and a type added later starts where
 * its siblings are: see `resumePointAfter`.
 */
export function createSubscriptionConsumer<S extends ServiceName, T extends PublishedType<S>>(
  options: SubscriptionConsumerOptions<S, T>,
): DurableConsumer {
  const { subscription, handlers, ...common } = options;
  const handled = Object.keys(handlers).sort();
  if (handled.join() !== [...subscription.types].sort().join())
    throw new Error(
      `${subscription.name} handles [${handled.join(', ')}] but subscribes to [${subscription.types.join(', ')}]`,
    );
  if (handled.length === 0) throw new Error(`${subscription.name} handles nothing`);
  let consumers: DurableConsumer[] = [];

  return {
    async start() {
      if (consumers.length) return;
      const jsm = await options.nc.jetstreamManager();
      const stream = options.topology.eventsStream;
      const durables = subscription.types.map((type) => durableName(subscription.name, type));
      // An old wildcard durable under the logical name is migrated from; otherwise a type added later
      // starts where its siblings are. Existing durables keep their own position whatever this says.
      const wildcard = await resumePointAfter(jsm, stream, [subscription.name]);
      const startSequence = wildcard ?? (await resumePointAfter(jsm, stream, durables));
      const created = subscription.types.map((type, i) => {
        const handler = handlers[type] as EventHandler<unknown>;
        return createDurableConsumer({
          ...common,
          durable: durables[i],
          name: subscription.name,
          filterSubject: eventSubject(options.topology.namespace, subscription.source, type),
          expectType: type,
          startSequence,
          handler: (event, context, delivery) =>
            handler(event.data, context, { ...delivery, eventId: event.id, occurredAt: event.occurredAt }),
        });
      });
      // Every durable exists before any consumes: a failure here leaves nothing that moved on
      // (which would make a sibling's ack floor skip what the missing one never saw).
      for (const consumer of created) await consumer.prepare();
      const started: DurableConsumer[] = [];
      try {
        for (const consumer of created) {
          await consumer.start();
          started.push(consumer);
        }
        // Only once every new durable exists: a crash before this leaves the old one to resume from again.
        if (wildcard !== undefined)
          await jsm.consumers.delete(stream, subscription.name).catch((e: unknown) => {
            if (!isNotFound(e)) throw e;
          });
        await removeRetired(jsm, stream, subscription, options.onError);
      } catch (e) {
        // nothing keeps consuming untracked behind a failed start
        await Promise.allSettled(started.map((c) => c.stop()));
        throw e;
      }
      consumers = started;
    },
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      consumers = [];
    },
    get running() {
      return consumers.length > 0 && consumers.every((c) => c.running);
    },
  };
}

/**
 * Deletes the durables of types this subscription handled in an earlier release (`retired`): nothing
 * reads them, and the server would go on counting what they have pending. Never fails the start: a
 * durable another replica deleted first is gone already, and one an older replica still reads (during a
 * rolling update) comes back with it and is deleted at the next start of this release.
 */
async function removeRetired(
  jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>,
  stream: string,
  subscription: Subscription,
  onError: DurableConsumerOptions['onError'],
): Promise<void> {
  for (const type of subscription.retired) {
    const durable = durableName(subscription.name, type);
    await jsm.consumers.delete(stream, durable).catch((e: unknown) => {
      if (!isNotFound(e)) onError?.(e, { subject: durable, deliveries: 0, deadLettered: false });
    });
  }
}

/**
 * Just after the lowest ack floor of those of `durables` that exist, or
 * undefined when none does (a fresh install reads the whole stream). Used for
 * the old wildcard durable (nothing it had not acknowledged is lost; what it
 * acknowledged out of order comes again and processed events drop it) and for
 * a type newly added to a subscription (it gets what the subscription has not
 * got past yet, not the type's whole history).
 */
async function resumePointAfter(
  jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>,
  stream: string,
  durables: readonly string[],
): Promise<number | undefined> {
  const floors: number[] = [];
  for (const durable of durables) {
    try {
      floors.push((await jsm.consumers.info(stream, durable)).ack_floor.stream_seq);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return floors.length ? Math.min(...floors) + 1 : undefined;
}
