import { Inject, Injectable } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { Pool } from 'pg';
import { BlobStore } from '@study-buddy/blob-store';
import { CheckpointStore, EventStore, PostgresProjection } from '@study-buddy/event-store';
import { PublishedType, ServiceName } from '@study-buddy/contracts';
import { ProcessedEvents, Publications, RpcClient } from '@study-buddy/messaging';
import { PlatformConfig } from './platform-config';
import {
  BLOB_STORE,
  CHECKPOINTS,
  EVENT_STORE,
  NATS_CONNECTION,
  PG_POOL,
  PLATFORM_CONFIG,
  PROCESSED_EVENTS,
  RPC_CLIENT,
} from './tokens';
import { ConsumerSpec, consumerWorker, projectorWorker, relayWorker } from './workers';

/** One service's infrastructure in one injectable, plus factories for its background workers. */
@Injectable()
export class Platform {
  constructor(
    @Inject(PLATFORM_CONFIG) readonly config: PlatformConfig,
    @Inject(PG_POOL) readonly pool: Pool,
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CHECKPOINTS) readonly checkpoints: CheckpointStore,
    @Inject(NATS_CONNECTION) readonly nc: NatsConnection,
    @Inject(PROCESSED_EVENTS) readonly processed: ProcessedEvents,
    @Inject(RPC_CLIENT) readonly rpc: RpcClient,
    @Inject(BLOB_STORE) private readonly blobStore: BlobStore | null,
  ) {}

  get blobs(): BlobStore {
    if (!this.blobStore) throw new Error(`${this.config.service} is not configured with a blob store`);
    return this.blobStore;
  }

  projector(projection: PostgresProjection) {
    return projectorWorker(this.config, this.pool, this.store, projection);
  }

  /** The outbox relay publishing this service's `publications` (a service that publishes nothing has none). */
  relay(publications: Publications) {
    return relayWorker(this.config, this, publications);
  }

  /** One logical consumer: `subscription(<this service>, <source>)` and a handler per subscribed type. */
  consumer<S extends ServiceName, T extends PublishedType<S>>(spec: ConsumerSpec<S, T>) {
    return consumerWorker(this.config, this, spec);
  }
}
