import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { Pool } from 'pg';
import { createBlobStore } from '@study-buddy/blob-store';
import {
  createEventStore,
  createPostgresCheckpointStore,
  EventStore,
  migrateCheckpoints,
  upcastingEventStore,
} from '@study-buddy/event-store';
import {
  connectNats,
  createPostgresProcessedEvents,
  ensureStreams,
  migrateProcessedEvents,
  RpcClient,
} from '@study-buddy/messaging';
import { BackgroundWorkers } from './background-workers';
import { BusConnections } from './bus-connections';
import { createPgPool } from './pg-pool';
import { PlatformConfig } from './platform-config';
import { Platform } from './platform.service';
import { untilAvailable, UntilAvailableOptions } from './until-available';
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

@Injectable()
class PlatformShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Platform');
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close().catch((e: unknown) => this.logger.warn(`event store close: ${String(e)}`));
    await this.nc.drain().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

/** An error as a log line: its code and message, never a connection string. */
function describe(error: unknown): string {
  const errors: unknown[] = error instanceof AggregateError ? error.errors : [error];
  return errors
    .map((e) => [(e as { code?: string })?.code, (e as Error)?.message].filter(Boolean).join(' '))
    .join('; ');
}

/**
 * The infrastructure of one service, built from its configuration: PostgreSQL
 * pool and schema, event store, NATS (with the JetStream streams), RPC client,
 * and the blob store when the service uses one. Dependencies that are still
 * starting (a fresh cluster) are waited for, up to STARTUP_TIMEOUT_MS.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    const logger = new Logger('Platform');
    const waiting: UntilAvailableOptions = {
      timeoutMs: config.env.STARTUP_TIMEOUT_MS,
      onWait: (what, error, retryInMs) =>
        logger.warn(`waiting for ${what}: ${describe(error)} (retrying in ${retryInMs} ms)`),
    };
    return {
      module: PlatformModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        {
          provide: PG_POOL,
          useFactory: async () => {
            const pool = createPgPool(config.env);
            await untilAvailable('PostgreSQL', () => migrateCheckpoints(pool, config.schema), waiting);
            await migrateProcessedEvents(pool, config.schema);
            return pool;
          },
        },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL],
          useFactory: async (pool: Pool) => {
            const store = await (config.env.EVENT_STORE === 'eventstoredb'
              ? createEventStore({
                  kind: 'eventstoredb',
                  connectionString: config.env.EVENTSTORE_CONNECTION_STRING,
                  streamPrefixes: config.streamPrefixes,
                })
              : createEventStore({ kind: 'postgres', pool, schema: config.schema }));
            // The client connects lazily: ask for the head (one filtered read) so a pod is not started against a
            // store it cannot reach, and its first readiness check finds the head already known.
            await untilAvailable(
              config.env.EVENT_STORE === 'eventstoredb' ? 'EventStoreDB' : 'the event store',
              () => store.headPosition(),
              waiting,
            ).catch(async (e: unknown) => {
              await store.close().catch(() => undefined);
              throw e;
            });
            // Deciders, projectors and the outbox relay all read through this: none sees an old event shape.
            return config.upcasters ? upcastingEventStore(store, config.upcasters) : store;
          },
        },
        {
          provide: NATS_CONNECTION,
          useFactory: async () => {
            return untilAvailable(
              'NATS JetStream',
              async () => {
                const nc = await connectNats({ url: config.env.NATS_URL, name: config.service });
                try {
                  await ensureStreams(nc, config.topology);
                  return nc;
                } catch (e) {
                  await nc.close();
                  throw e;
                }
              },
              waiting,
            );
          },
        },
        {
          provide: RPC_CLIENT,
          inject: [NATS_CONNECTION, BusConnections],
          useFactory: (nc: NatsConnection, bus: BusConnections) =>
            new RpcClient(nc, config.env.RPC_TIMEOUT_MS, config.topology.namespace, bus.track('nats', nc)),
        },
        {
          provide: CHECKPOINTS,
          inject: [PG_POOL],
          useFactory: (pool: Pool) => createPostgresCheckpointStore(pool, config.schema),
        },
        {
          provide: PROCESSED_EVENTS,
          inject: [PG_POOL],
          useFactory: (pool: Pool) => createPostgresProcessedEvents(pool, config.schema),
        },
        {
          provide: BLOB_STORE,
          useFactory: async () => {
            if (!config.usesBlobStore) return null;
            const blobs = createBlobStore({
              endpoint: config.env.S3_ENDPOINT,
              accessKey: config.env.S3_ACCESS_KEY,
              secretKey: config.env.S3_SECRET_KEY,
              bucket: config.env.S3_BUCKET,
              region: config.env.S3_REGION,
              timeoutMs: config.env.S3_TIMEOUT_MS,
            });
            await untilAvailable('the object store', () => blobs.ensureBucket(), waiting);
            return blobs;
          },
        },
        BackgroundWorkers,
        BusConnections,
        PlatformShutdown,
        Platform,
      ],
      exports: [
        PLATFORM_CONFIG,
        PG_POOL,
        EVENT_STORE,
        NATS_CONNECTION,
        RPC_CLIENT,
        CHECKPOINTS,
        PROCESSED_EVENTS,
        BLOB_STORE,
        BackgroundWorkers,
        BusConnections,
        Platform,
      ],
    };
  }
}
