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
import {
  createDurableConsumer,
  createOutboxRelay,
  DurableConsumer,
  IntegrationEventHandler,
  IntegrationMapper,
  OutboxRelay,
  ProcessedEvents,
} from '@study-buddy/messaging';
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
  return {
    name: `projection ${projection.name}`,
    projector,
    async start() {
      await projector.setup();
      projector.start();
    },
    stop: () => projector.stop(),
    get running() {
      return projector.running;
    },
  };
}

export function relayWorker(
  config: PlatformConfig,
  deps: { pool: Pool; store: EventStore; checkpoints: CheckpointStore; nc: NatsConnection },
  map: IntegrationMapper,
): BackgroundWorker & { relay: OutboxRelay } {
  const logger = new Logger('OutboxRelay');
  const relay = createOutboxRelay({
    service: config.service,
    store: deps.store,
    checkpoints: deps.checkpoints,
    js: deps.nc.jetstream(),
    namespace: config.topology.namespace,
    map,
    leader: createPostgresLeaderLock(deps.pool, `outbox-relay:${config.schema}`),
    onError: (e) => logger.error(`publish failed, retrying: ${String(e)}`),
  });
  return {
    name: 'outbox relay',
    relay,
    start: () => relay.start(),
    stop: () => relay.stop(),
    get running() {
      return relay.running;
    },
  };
}

export function consumerWorker(
  config: PlatformConfig,
  deps: { nc: NatsConnection; processed: ProcessedEvents },
  spec: { durable: string; from: string; handler: IntegrationEventHandler; ackWaitMs?: number; prefetch?: number },
): BackgroundWorker & { consumer: DurableConsumer } {
  const logger = new Logger(`Consumer:${spec.durable}`);
  const consumer = createDurableConsumer({
    nc: deps.nc,
    topology: config.topology,
    durable: spec.durable,
    filterSubject: `${config.topology.namespace}evt.${spec.from}.>`,
    handler: spec.handler,
    processed: deps.processed,
    maxDeliver: config.env.CONSUMER_MAX_DELIVER,
    ackWaitMs: spec.ackWaitMs ?? config.env.CONSUMER_ACK_WAIT_MS,
    prefetch: spec.prefetch,
    onError: (e, info) =>
      logger.error(
        `${info.subject} failed on delivery ${info.deliveries}${info.deadLettered ? ', dead-lettered' : ', will retry'}: ${String(e)}`,
      ),
  });
  return {
    name: `consumer ${spec.durable}`,
    consumer,
    start: () => consumer.start(),
    stop: () => consumer.stop(),
    get running() {
      return consumer.running;
    },
  };
}
