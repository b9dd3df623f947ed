import { ServiceName } from '@study-buddy/contracts';
import { BaseEnv } from '@study-buddy/config';
import { UpcasterRegistry } from '@study-buddy/event-store';
import { defaultTopology, MessagingTopology } from '@study-buddy/messaging';

export interface PlatformConfig {
  service: ServiceName;
  env: BaseEnv;
  /** This service's PostgreSQL schema (event store, read models, checkpoints). */
  schema: string;
  topology: MessagingTopology;
  /** Stream-name prefixes this service owns (used to filter EventStoreDB's `$all`). */
  streamPrefixes: string[];
  usesBlobStore: boolean;
  /** Upcasts events stored at older schema versions, for every reader of this service's store. */
  upcasters?: UpcasterRegistry;
}

export function platformConfig(
  service: ServiceName,
  env: BaseEnv,
  options: { streamPrefixes: string[]; usesBlobStore?: boolean; upcasters?: UpcasterRegistry },
): PlatformConfig {
  return {
    service,
    env,
    schema: `${env.DB_SCHEMA_PREFIX}${service}`,
    topology: defaultTopology({
      namespace: env.MESSAGING_NAMESPACE,
      eventsStream: env.EVENTS_STREAM,
      deadLetterStream: env.DEADLETTER_STREAM,
    }),
    streamPrefixes: options.streamPrefixes,
    usesBlobStore: options.usesBlobStore ?? false,
    upcasters: options.upcasters,
  };
}
