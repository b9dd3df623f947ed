import { JetStreamClient, JSONCodec } from 'nats';
import { eventSubject, ServiceName } from '@study-buddy/contracts';
import { CheckpointStore, EventStore, LeaderLock } from '@study-buddy/event-store';
import { contextHeaders } from '../headers';
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
  onError?: (error: unknown) => void;
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  readonly running: boolean;
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
  let running = false;
  let position = 0n;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((r) => ((wake = r), setTimeout(r, ms)));

  async function relayBatch(): Promise<number> {
    const after = await options.checkpoints.load(name);
    position = after; // what the idle wait compares against, even when nothing is new
    const events = await options.store.readAll({ after, maxCount: batchSize });
    for (const event of events) {
      if (!running) break;
      const mapped = options.map(event);
      if (mapped) {
        const envelope = toIntegrationEvent(options.service, event, mapped);
        const headers = contextHeaders({ ...event.metadata, causationId: event.id });
        await options.js.publish(eventSubject(options.namespace, options.service, mapped.type), codec.encode(envelope), {
          msgID: event.id,
          headers,
        });
      }
      position = event.position;
      await options.checkpoints.save(name, event.position);
    }
    return events.length;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        if (!(await options.leader.acquire())) {
          await sleep(2000); // another replica relays; check again later
          continue;
        }
        const relayed = await relayBatch();
        failures = 0;
        if (relayed === 0 && running) {
          await Promise.race([options.store.waitForAppend(position, idle), new Promise<void>((r) => (wake = r))]);
        }
      } catch (e) {
        failures += 1;
        options.onError?.(e);
        await sleep(Math.min(100 * 2 ** failures, 10_000));
      }
    }
    await options.leader.release();
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    get running() {
      return running;
    },
    get position() {
      return position;
    },
  };
}

