import {
  AckPolicy,
  ConsumerConfig,
  ConsumerMessages,
  DeliverPolicy,
  JetStreamManager,
  JsMsg,
  JSONCodec,
  NatsConnection,
  nanos,
} from 'nats';
import { IntegrationEvent, parseIntegrationEvent } from '@study-buddy/contracts';
import {
  consumerDeadLetters,
  consumerDeliveries,
  consumerRedeliveries,
  probeConsumerAckPending,
  probeConsumerPending,
  failSpan,
  inSpan,
  ROOT_TRACE,
  runWithLogContext,
  Span,
  SpanKind,
} from '@study-buddy/observability';
import { contextFromHeaders, HEADER, MessageContext } from '../headers';
import { ProcessedEvents } from './processed-events';
import { deadLetterSubject, isNotFound, MessagingTopology } from './streams';
import { SlotDelivery, SlotLoop, startSlotLoop } from './slot-loop';
import { headers as natsHeaders } from 'nats';

/** Which delivery of the message this is; a handler may give up gracefully on the last one. */
export interface Delivery {
  attempt: number;
  maxAttempts: number;
  /**
   * With `concurrency`: aborted when stopping hands this delivery back to another worker (it did not finish
   * within `drainTimeoutMs`). The handler should stop at its next safe point; its outcome is ignored.
   */
  signal?: AbortSignal;
}

export type IntegrationEventHandler = (
  event: IntegrationEvent,
  context: MessageContext,
  delivery: Delivery,
) => Promise<void>;

export interface DurableConsumerOptions {
  nc: NatsConnection;
  topology: MessagingTopology;
  /** JetStream durable name, unique per service and purpose: `videos-processor-events-JobFailed`. */
  durable: string;
  /**
   * The logical consumer this durable reads for (default: the durable): the key
   * for processed events, dead letters and replays, shared by its durables.
   */
  name?: string;
  /** One subject filter (nats-server 2.9 allows one per consumer), e.g. `evt.processor.JobFailed`. */
  filterSubject: string;
  /** A durable that does not exist yet starts at this stream sequence (default: the whole stream). */
  startSequence?: number;
  /** The only event type this durable expects; any other is dead-lettered at once. */
  expectType?: string;
  handler: IntegrationEventHandler;
  processed: ProcessedEvents;
  /** Deliveries before an event is dead-lettered. */
  maxDeliver?: number;
  /** Delay before each redelivery after a failure; the last value repeats. */
  backoffMs?: number[];
  /** How long a delivery may stay unacknowledged (the handler heartbeats while it works). */
  ackWaitMs?: number;
  /**
   * Messages pulled ahead of the handler. Keep it 1 for long handlers: a
   * buffered message's ack timer runs while it waits, and would expire.
   */
  prefetch?: number;
  /**
   * Handle up to this many messages at once (each heartbeated), pulling only into free slots, so no
   * message waits in a buffer; `prefetch` is then unused. Unset: one at a time with `prefetch`.
   */
  concurrency?: number;
  /**
   * With `concurrency`: how long stop() waits for the messages in hand before handing back (nak, for
   * another worker at once) those still running. Unset: it waits for all of them.
   */
  drainTimeoutMs?: number;
  /** With `concurrency`: how long one pull request waits for messages (default 2 s); stop() waits out the current one. */
  pullExpiresMs?: number;
  /** Delivered but unacknowledged messages across all replicas, after which JetStream delivers no more. */
  maxAckPending?: number;
  /** With `concurrency`: stop() handed back this many unfinished messages. */
  onHandedBack?: (count: number) => void;
  /**
   * True for an error that says a dependency is briefly unreachable (the database restarting): the handler
   * is retried in place, holding the message, until it passes or the consumer stops. Such a failure says
   * nothing about the event, so it must not use up deliveries and dead-letter it.
   */
  isOutage?: (error: unknown) => boolean;
  /** Pauses between retries in place during an outage: doubling from the first to the second. */
  outageRetryMs?: [number, number];
  onError?: (error: unknown, event: { subject: string; deliveries: number; deadLettered: boolean }) => void;
}

export interface DurableConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

/** One JetStream durable: `prepare` creates or updates it without consuming, `start` also consumes. */
export interface JetStreamDurable extends DurableConsumer {
  prepare(): Promise<void>;
}

const codec = JSONCodec<unknown>();

/**
 * A durable JetStream pull consumer with explicit acks. A handler failure is
 * retried with backoff up to `maxDeliver` deliveries, then the message goes to
 * the dead-letter stream with the error; a message that is not a valid
 * integration event is dead-lettered at once. Handled event ids are recorded,
 * so a redelivered event is acknowledged without running the handler again.
 */
export function createDurableConsumer(options: DurableConsumerOptions): JetStreamDurable {
  const maxDeliver = options.maxDeliver ?? 5;
  const backoff = options.backoffMs ?? [1000, 5000, 15_000, 30_000];
  const ackWait = options.ackWaitMs ?? 30_000;
  const name = options.name ?? options.durable;
  /** The iterator of the running consume loop, while it runs. */
  let messages: ConsumerMessages | undefined;
  /** The concurrent loop instead, with `concurrency`. */
  let slots: SlotLoop | undefined;
  let loop: Promise<void> | undefined;
  let running = false;
  /** Wakes the outage pauses when the consumer stops, so stop() does not wait for the dependency to return. */
  const stopping = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        stopping.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        stopping.delete(wake);
        resolve(true);
      }, ms);
      stopping.add(wake);
    });
  const [firstOutagePause, maxOutagePause] = options.outageRetryMs ?? [500, 5000];
  // metrics are per JetStream durable: that is where lag and redeliveries happen
  const delivered = (outcome: 'handled' | 'duplicate' | 'retried' | 'outage' | 'dead_lettered') =>
    consumerDeliveries.inc({ consumer: options.durable, outcome });
  /** Removes this durable's lag probes when it stops. */
  let unprobe: (() => void) | undefined;

  async function deadLetter(msg: JsMsg, error: string): Promise<void> {
    const h = natsHeaders();
    h.set(HEADER.originalSubject, msg.subject);
    h.set(HEADER.consumer, name);
    h.set(HEADER.error, error.slice(0, 1000).replace(/[\r\n]+/g, ' '));
    h.set(HEADER.deliveries, String(msg.info.deliveryCount));
    for (const [key, values] of msg.headers ?? []) if (!h.has(key)) for (const v of values) h.append(key, v);
    const js = options.nc.jetstream();
    await js.publish(deadLetterSubject(options.topology, name), msg.data, {
      msgID: `${name}:${msg.info.streamSequence}`,
      headers: h,
    });
    delivered('dead_lettered');
    consumerDeadLetters.inc({ consumer: options.durable });
  }

  /** `slot`: taken by the concurrent loop, which may hand it back (its outcome is then no longer ours). */
  async function handle(msg: JsMsg, slot?: SlotDelivery): Promise<void> {
    if (msg.info.deliveryCount > 1) consumerRedeliveries.inc({ consumer: options.durable });
    let event: IntegrationEvent;
    try {
      event = parseIntegrationEvent(codec.decode(msg.data));
      if (options.expectType && event.type !== options.expectType)
        throw new Error(`expected ${options.expectType}, got ${event.type} on ${msg.subject}`);
    } catch (e) {
      await deadLetter(msg, `Invalid integration event: ${(e as Error).message}`);
      msg.term();
      options.onError?.(e, { subject: msg.subject, deliveries: msg.info.deliveryCount, deadLettered: true });
      return;
    }
    // read before the span starts: the header is still the publisher's
    const sent = contextFromHeaders(msg.headers);
    await runWithLogContext({ correlationId: sent.correlationId, userId: sent.userId }, () =>
      inSpan(
        `${event.type} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: sent.traceparent ?? ROOT_TRACE,
          attributes: {
            'messaging.system': 'nats',
            'messaging.operation.type': 'process',
            'messaging.destination.name': msg.subject,
            'messaging.consumer.group.name': options.durable,
            'messaging.message.id': event.id,
            'messaging.nats.delivery_count': msg.info.deliveryCount,
          },
        },
        (span) => deliver(msg, event, span, slot),
      ),
    );
  }

  /** One delivery of a valid event: handled once (idempotent on its id), retried, or dead-lettered. */
  async function deliver(msg: JsMsg, event: IntegrationEvent, span: Span, slot?: SlotDelivery): Promise<void> {
    const replayFor = msg.headers?.has(HEADER.replayFor) ? msg.headers.get(HEADER.replayFor) : undefined;
    const heartbeat = setInterval(() => msg.working(), Math.max(1000, ackWait / 3));
    // handed back: another worker has it; this one's heartbeats would only keep it from them
    slot?.signal.addEventListener('abort', () => clearInterval(heartbeat), { once: true });
    try {
      for (let wait = firstOutagePause; ; wait = Math.min(wait * 2, maxOutagePause)) {
        try {
          if ((replayFor && replayFor !== name) || (await options.processed.has(name, event.id))) {
            msg.ack();
            delivered('duplicate');
            return;
          }
          await options.handler(
            event,
            { ...contextFromHeaders(msg.headers), causationId: event.id },
            { attempt: msg.info.deliveryCount, maxAttempts: maxDeliver, signal: slot?.signal },
          );
          if (slot?.handedBack) return;
          await options.processed.mark(name, event.id);
          msg.ack();
          delivered('handled');
          return;
        } catch (e) {
          if (slot?.handedBack) return; // another worker has it now
          failSpan(span, e);
          const deliveries = msg.info.deliveryCount;
          if (options.isOutage?.(e)) {
            delivered('outage');
            options.onError?.(e, { subject: msg.subject, deliveries, deadLettered: false });
            if (running && (await pause(wait))) continue;
            if (!slot?.handedBack) msg.nak(); // stopping: another replica (or this one, restarted) takes it
            return;
          }
          const exhausted = deliveries >= maxDeliver;
          options.onError?.(e, { subject: msg.subject, deliveries, deadLettered: exhausted });
          if (exhausted) {
            await deadLetter(msg, (e as Error)?.message ?? String(e));
            msg.term();
          } else {
            msg.nak(backoff[Math.min(deliveries - 1, backoff.length - 1)]);
            delivered('retried');
          }
          return;
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function prepare(): Promise<void> {
    const jsm = await options.nc.jetstreamManager();
    await ensureDurable(jsm, options.topology.eventsStream, {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: options.filterSubject,
      // The server's own redelivery (after a crash, ack_wait expiry) is bounded too; one more than
      // ours so the last failed attempt is still ours to dead-letter.
      max_deliver: maxDeliver + 1,
      ack_wait: nanos(ackWait),
      max_ack_pending: Math.max(options.maxAckPending ?? 100, options.concurrency ?? 1),
      ...(options.startSequence === undefined
        ? { deliver_policy: DeliverPolicy.All }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: options.startSequence }),
    });
  }

  return {
    prepare,
    async start() {
      if (running) return;
      await prepare();
      const consumer = await options.nc.jetstream().consumers.get(options.topology.eventsStream, options.durable);
      // one consumer-info request per scrape serves both gauges
      const info = sharedFor(1000, () => consumer.info());
      const removals = [
        probeConsumerPending(options.durable, async () => (await info()).num_pending),
        probeConsumerAckPending(options.durable, async () => (await info()).num_ack_pending),
      ];
      unprobe = () => removals.forEach((remove) => remove());
      if (options.concurrency !== undefined) {
        const loopOfSlots = startSlotLoop({
          consumer,
          slots: options.concurrency,
          pullExpiresMs: options.pullExpiresMs ?? 2000,
          handle: (delivery) => handle(delivery.msg, delivery),
          onFailure: (e) =>
            options.onError?.(e, { subject: options.filterSubject, deliveries: 0, deadLettered: false }),
        });
        slots = loopOfSlots;
        running = true;
        loop = loopOfSlots.ended.finally(() => {
          // ended on its own, not via stop(): readiness must see it
          if (slots === loopOfSlots) running = false;
        });
        return;
      }
      const current = await consumer.consume({ max_messages: options.prefetch ?? 10 });
      messages = current;
      running = true;
      loop = (async () => {
        try {
          for await (const msg of current) await handle(msg);
        } catch (e) {
          // the iterator failed (the server refused the pull) or handling could not even
          // dead-letter: the message stays unacknowledged and comes again after a restart
          current.stop(); // releases the pull subscription; nobody reads this iterator any more
          options.onError?.(e, { subject: options.filterSubject, deliveries: 0, deadLettered: false });
        } finally {
          // ended on its own, not via stop(): readiness must see it
          if (messages === current) {
            messages = undefined;
            running = false;
          }
        }
      })();
    },
    async stop() {
      running = false;
      unprobe?.();
      unprobe = undefined;
      for (const wake of [...stopping]) wake();
      if (slots) {
        const stopped = slots;
        const handedBack = await stopped.stop(options.drainTimeoutMs);
        if (slots === stopped) slots = undefined;
        if (handedBack > 0) options.onHandedBack?.(handedBack);
        return;
      }
      const current = messages;
      messages = undefined;
      // close() lets the current message finish: for-await ends after it. (A loop that ended
      // on its own has nothing to close: its iterator would never confirm it.)
      await current?.close();
      await loop;
    },
    get running() {
      return running;
    },
  };
}

/** `read`, called at most once per `ms`: callers within that time share its answer (or its failure). */
function sharedFor<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at >= ms) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

/**
 * Creates the durable, or updates an existing one in place. Where it started
 * is fixed at creation (JetStream refuses to change it), so an existing
 * durable keeps its own deliver policy and position.
 */
async function ensureDurable(jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>): Promise<void> {
  const durable = config.durable_name!;
  const existing = await jsm.consumers.info(stream, durable).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  if (!existing) {
    try {
      await jsm.consumers.add(stream, config);
      return;
    } catch (e) {
      // Another replica created it first (possibly from another start sequence: JetStream
      // then refuses ours). Theirs stands; go on with it, as if it had existed already.
      const created = await jsm.consumers.info(stream, durable).catch(() => undefined);
      if (!created) throw e;
    }
  }
  const { deliver_policy: _policy, opt_start_seq: _start, ...mutable } = config;
  await jsm.consumers.update(stream, durable, mutable);
}
