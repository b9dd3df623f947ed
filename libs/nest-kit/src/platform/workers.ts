import { Logger } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { Pool } from 'pg';
import {
  createPostgresProjector,
  createPostgresLeaderLock,
  CheckpointStore,
  EventStore,
  PostgresProjection,
  Projector,
} from '@study-buddy/event-store';
import { AppError, PublishedType, ServiceName, Subscription } from '@study-buddy/contracts';
import {
  createOutboxRelay,
  createSubscriptionConsumer,
  DurableConsumer,
  HandlerMap,
  OutboxRelay,
  ProcessedEvents,
  Publications,
} from '@study-buddy/messaging';
import { probeOutboxRelayLag, probeProjectionLag } from '@study-buddy/observability';
import { isDependencyOutage } from '../errors/dependency-outage';
import { BackgroundWorker } from './background-workers';
import { PlatformConfig } from './platform-config';

/** Wiring helpers: build a projector, relay or consumer from the platform config, as a BackgroundWorker. */

export function projectorWorker(
  config: PlatformConfig,
  pool: Pool,
  store: EventStore,
  projection: PostgresProjection,
): BackgroundWorker & { projector: Projector } {
  const logger = new Logger(`Projection:${projection.name}`);
  const projector = createPostgresProjector({
    pool,
    schema: config.schema,
    store,
    projection,
    onError: (e) => logger.error(`batch failed, retrying: ${String(e)}`),
  });
  let unprobe: (() => void) | undefined;
  return {
    name: `projection ${projection.name}`,
    projector,
    async start() {
      await projector.setup();
      projector.start();
      // only a replica that serves the read model knows how far behind readers are
      unprobe = probeProjectionLag(projection.name, async () =>
        projector.state === 'serving' ? lag(await store.headPosition(), projector.position) : undefined,
      );
    },
    async stop() {
      unprobe?.();
      await projector.stop();
    },
    // Ready only while this process serves its own version (or follows a newer one): while it builds a
    // version beside the served one, nothing here updates what readers see, so a rolling update must keep
    // the old replicas until the switch.
    get running() {
      return projector.running && projector.state !== 'building';
    },
  };
}

export function relayWorker(
  config: PlatformConfig,
  deps: { pool: Pool; store: EventStore; checkpoints: CheckpointStore; nc: NatsConnection },
  publications: Publications,
): BackgroundWorker & { relay: OutboxRelay } {
  if (publications.source !== config.service)
    throw new Error(`${config.service} cannot relay the publications of ${publications.source}`);
  // a service that publishes nothing has no relay: nothing to follow the store for
  if (publications.types.length === 0) throw new Error(`${config.service} publishes nothing: register no relay`);
  const logger = new Logger('OutboxRelay');
  const relay = createOutboxRelay({
    service: config.service,
    store: deps.store,
    checkpoints: deps.checkpoints,
    js: deps.nc.jetstream(),
    namespace: config.topology.namespace,
    map: publications.map,
    leader: createPostgresLeaderLock(deps.pool, `outbox-relay:${config.schema}`),
    onError: (e) => logger.error(`publish failed, retrying: ${String(e)}`),
  });
  let unprobe: (() => void) | undefined;
  return {
    name: 'outbox relay',
    relay,
    start() {
      relay.start();
      // the followers' positions are stale by design: only the leader's lag means anything
      unprobe = probeOutboxRelayLag(config.service, async () =>
        relay.leading ? lag(await deps.store.headPosition(), relay.position) : undefined,
      );
    },
    async stop() {
      unprobe?.();
      await relay.stop();
    },
    get running() {
      return relay.running;
    },
  };
}

/** Events between a reader's position and the store's head (never negative: the head is read after). */
const lag = (head: bigint, position: bigint): number => Number(head > position ? head - position : 0n);

export interface ConsumerSpec<S extends ServiceName, T extends PublishedType<S>> {
  subscription: Subscription<S, T>;
  handlers: HandlerMap<S, T>;
  ackWaitMs?: number;
  prefetch?: number;
  /** Messages handled at once, each heartbeated (see DurableConsumerOptions.concurrency). */
  concurrency?: number;
  /** With `concurrency`: how long shutdown waits for the messages in hand before handing them back. */
  drainTimeoutMs?: number;
  /** The durable's cap on unacknowledged messages, across every replica. */
  maxAckPending?: number;
}

export function consumerWorker<S extends ServiceName, T extends PublishedType<S>>(
  config: PlatformConfig,
  deps: { nc: NatsConnection; processed: ProcessedEvents },
  spec: ConsumerSpec<S, T>,
): BackgroundWorker & { consumer: DurableConsumer } {
  const { subscription } = spec;
  if (subscription.consumer !== config.service)
    throw new Error(`${config.service} cannot run the subscription of ${subscription.consumer} (${subscription.name})`);
  const logger = new Logger(`Consumer:${subscription.name}`);
  const consumer = createSubscriptionConsumer({
    nc: deps.nc,
    topology: config.topology,
    subscription,
    handlers: spec.handlers,
    processed: deps.processed,
    maxDeliver: config.env.CONSUMER_MAX_DELIVER,
    ackWaitMs: spec.ackWaitMs ?? config.env.CONSUMER_ACK_WAIT_MS,
    prefetch: spec.prefetch,
    concurrency: spec.concurrency,
    drainTimeoutMs: spec.drainTimeoutMs,
    maxAckPending: spec.maxAckPending,
    onHandedBack: (count) =>
      logger.warn(`shutting down: handed back ${count} unfinished message(s) for another replica to take at once`),
    // the database, object store or a service briefly unreachable: wait it out, do not dead-letter the event
    isOutage: (e) => isDependencyOutage(e) || (e instanceof AppError && e.code === 'unavailable'),
    onError: (e, info) =>
      logger.error(
        `${info.subject} failed on delivery ${info.deliveries}${info.deadLettered ? ', dead-lettered' : ', will retry'}: ${String(e)}`,
      ),
  });
  return {
    name: `consumer ${subscription.name}`,
    consumer,
    start: () => consumer.start(),
    stop: () => consumer.stop(),
    get running() {
      return consumer.running;
    },
  };
}
