import {
  DiscardPolicy,
  JetStreamManager,
  NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from 'nats';

export interface MessagingTopology {
  /** Subject prefix ('' in production; a unique one per test run). */
  namespace: string;
  eventsStream: string;
  deadLetterStream: string;
  /** Window in which JetStream drops a re-published event with the same Nats-Msg-Id. */
  duplicateWindowMs: number;
}

export function defaultTopology(overrides: Partial<MessagingTopology> = {}): MessagingTopology {
  return {
    namespace: '',
    eventsStream: 'EVENTS',
    deadLetterStream: 'DEADLETTER',
    duplicateWindowMs: 10 * 60_000,
    ...overrides,
  };
}

export const deadLetterSubject = (t: MessagingTopology, consumer: string) => `${t.namespace}dlq.${consumer}`;

/** Creates (or updates) the EVENTS and dead-letter streams. Idempotent; every service runs it at start. */
export async function ensureStreams(nc: NatsConnection, topology: MessagingTopology): Promise<JetStreamManager> {
  const jsm = await nc.jetstreamManager();
  const day = 24 * 60 * 60 * 1000;
  await upsert(jsm, {
    name: topology.eventsStream,
    subjects: [`${topology.namespace}evt.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(30 * day),
    duplicate_window: nanos(topology.duplicateWindowMs),
  });
  await upsert(jsm, {
    name: topology.deadLetterStream,
    subjects: [`${topology.namespace}dlq.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(90 * day),
    allow_direct: true,
    duplicate_window: nanos(topology.duplicateWindowMs),
  });
  return jsm;
}

/** A JetStream API "not found" (stream or consumer): 404, or its message on servers that omit the code. */
export function isNotFound(e: unknown): boolean {
  return (e as { code?: string })?.code === '404' || /not found/i.test(String((e as Error)?.message));
}

async function upsert(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (e) {
    if (isNotFound(e)) {
      await jsm.streams.add(config);
      return;
    }
    throw e;
  }
}
