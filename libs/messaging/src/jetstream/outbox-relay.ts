import { JetStreamClient, JSONCodec } from 'nats';
import { eventSubject, ServiceName } from '@study-buddy/contracts';
import { CheckpointStore, createCatchUpLoop, EventStore, LeaderLock, leaderCheckpoint } from '@study-buddy/event-store';
import { inSpan, ROOT_TRACE, SpanKind, traceparentOf } from '@study-buddy/observability';
import { contextHeaders, MessageContext } from '../headers';
import { IntegrationMapper, toIntegrationEvent } from '../integration-event';

export interface OutboxRelayOptions {
  service: ServiceName;
  store: EventStore;
  checkpoints: CheckpointStore;
  js: JetStreamClient;
  namespace: string;
  map: IntegrationMapper;
  leader: LeaderLock;
  checkpointName?: string;
  batchSize?: number;
  idleTimeoutMs?: number;
  /** How long events it does not publish may stay passed over unsaved, at least (default 1 s; saved by the next batch after it). */
  lazySaveMs?: number;
  onError?: (error: unknown) => void;
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  readonly running: boolean;
  /** This replica holds the relay's leader lock and publishes (the others wait their turn). */
  readonly leading: boolean;
  /** Position of the last event this relay has seen acknowledged by JetStream. */
  readonly position: bigint;
}

const codec = JSONCodec<unknown>();

/**
 * Publishes a service's own events to JetStream in store order. The event store
 * is the outbox: an event is published after it is stored, with
 * `Nats-Msg-Id` = event id, and the checkpoint moves only after JetStream
 * acknowledged. A crash between the two re-publishes a few events, which
 * JetStream's duplicate window drops (and consumers are idempotent beyond it).
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const name = options.checkpointName ?? 'outbox-relay';
  const batchSize = options.batchSize ?? 100;
  const idle = options.idleTimeoutMs ?? 1000;
  const checkpoint = leaderCheckpoint(options.checkpoints, name, options.leader, { lazySaveMs: options.lazySaveMs });

  async function relayBatch(): Promise<number> {
    try {
      return await publishBatch();
    } catch (error) {
      checkpoint.forget(); // where the failed batch stopped is read back from the checkpoint
      throw error;
    }
  }

  async function publishBatch(): Promise<number> {
    const after = await checkpoint.load();
    const events = await options.store.readAll({ after, maxCount: batchSize });
    let published = after;
    let publishedAny = false;
    for (const event of events) {
      if (!loop.running) break;
      const mapped = options.map(event);
      if (mapped) {
        publishedAny = true;
        const envelope = toIntegrationEvent(options.service, event, mapped);
        const subject = eventSubject(options.namespace, options.service, mapped.type);
        const metadata = event.metadata as MessageContext;
        // a span in the trace of the request that appended the event; consumers continue from it
        await inSpan(
          `${mapped.type} publish`,
          {
            kind: SpanKind.PRODUCER,
            parent: metadata.traceparent ?? ROOT_TRACE,
            attributes: {
              'messaging.system': 'nats',
              'messaging.operation.type': 'send',
              'messaging.destination.name': subject,
              'messaging.message.id': event.id,
            },
          },
          async (span) => {
            const headers = contextHeaders({
              ...metadata,
              causationId: event.id,
              traceparent: traceparentOf(span) ?? metadata.traceparent,
            });
            await options.js.publish(subject, codec.encode(envelope), { msgID: event.id, headers });
          },
        );
      }
      published = event.position;
    }
    // Once per batch: a crash before it re-publishes the batch, which JetStream's duplicate window drops.
    // A batch of events that are not published (most of a service's) is saved lazily.
    await checkpoint.reach(published, publishedAny);
    return events.length;
  }

  const loop = createCatchUpLoop({
    store: options.store,
    step: async () => ({ read: await relayBatch(), position: checkpoint.position }),
    idleTimeoutMs: idle,
    leader: options.leader,
    onStop: () => checkpoint.flush(),
    onError: options.onError,
  });

  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    get running() {
      return loop.running;
    },
    get leading() {
      return loop.leading;
    },
    get position() {
      return checkpoint.position;
    },
  };
}
