import { JSONCodec, NatsConnection, headers as natsHeaders, StoredMsg } from 'nats';
import { eventSubject, ServiceName, subscription, Subscription, SUBSCRIPTIONS } from '@study-buddy/contracts';
import { HEADER } from '../headers';
import { deadLetterSubject, MessagingTopology } from './streams';

export interface DeadLetter {
  sequence: number;
  consumer: string;
  originalSubject: string;
  error: string;
  deliveries: number;
  body: unknown;
}

const codec = JSONCodec<unknown>();

// nats.js implements direct get on the manager but leaves it out of the exported interface.
type DirectGet = { getMessage(stream: string, query: { seq: number; next_by_subj: string }): Promise<StoredMsg> };

/** Reads the dead letters of one consumer, oldest first, without removing them. */
export async function listDeadLetters(
  nc: NatsConnection,
  topology: MessagingTopology,
  consumer: string,
  limit = 100,
): Promise<DeadLetter[]> {
  const jsm = await nc.jetstreamManager();
  const subject = deadLetterSubject(topology, consumer);
  const letters: DeadLetter[] = [];
  let seq = 1;
  while (letters.length < limit) {
    let m;
    try {
      // "next message on this subject at or after seq": a plain read, no consumer state to clean up
      m = await (jsm as typeof jsm & { direct: DirectGet }).direct.getMessage(topology.deadLetterStream, {
        seq,
        next_by_subj: subject,
      });
    } catch (e) {
      if (/no message found|not found/i.test(String((e as Error).message))) break;
      throw e;
    }
    const h = m.header;
    letters.push({
      sequence: m.seq,
      consumer,
      originalSubject: h?.get(HEADER.originalSubject) ?? '',
      error: h?.get(HEADER.error) ?? '',
      deliveries: Number(h?.get(HEADER.deliveries) ?? 0),
      body: safeDecode(m.data),
    });
    seq = m.seq + 1;
  }
  return letters;
}

export interface ReplayOptions {
  /**
   * The subjects the consumer's durables read (`subscribedSubjects`). A letter
   * from any other subject (a type it no longer handles) would reach no durable
   * and be lost, so it stays in the dead letters. Default: replay every letter.
   */
  subjects?: readonly string[];
}

export interface ReplayResult {
  replayed: number;
  /** Left in the dead letters: their subject is not one the consumer reads any more. */
  skipped: DeadLetter[];
}

/**
 * Re-publishes a consumer's dead letters to their original subjects, marked
 * for that consumer only (other consumers of the subject acknowledge and skip
 * them), then removes them from the dead-letter stream.
 */
export async function replayDeadLetters(
  nc: NatsConnection,
  topology: MessagingTopology,
  consumer: string,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const letters = await listDeadLetters(nc, topology, consumer, 10_000);
  const result: ReplayResult = { replayed: 0, skipped: [] };
  for (const letter of letters) {
    if (options.subjects && !options.subjects.includes(letter.originalSubject)) {
      result.skipped.push(letter);
      continue;
    }
    const stored = await jsm.streams.getMessage(topology.deadLetterStream, { seq: letter.sequence });
    const h = natsHeaders();
    for (const [key, values] of stored.header ?? []) {
      if (
        [HEADER.originalSubject, HEADER.error, HEADER.deliveries, HEADER.consumer, HEADER.msgId].includes(key as never)
      )
        continue;
      for (const v of values) h.append(key, v);
    }
    h.set(HEADER.replayFor, consumer);
    await js.publish(letter.originalSubject, stored.data, {
      msgID: `${consumer}:replay:${letter.sequence}`,
      headers: h,
    });
    await jsm.streams.deleteMessage(topology.deadLetterStream, letter.sequence);
    result.replayed++;
  }
  return result;
}

/**
 * The subjects the durables of the logical consumer `name` read, from
 * SUBSCRIPTIONS; undefined when no subscription has that name.
 */
export function subscribedSubjects(topology: MessagingTopology, name: string): string[] | undefined {
  const subscriptionOf = subscription as (consumer: ServiceName, source: ServiceName) => Subscription;
  for (const [consumer, sources] of Object.entries(SUBSCRIPTIONS))
    for (const source of Object.keys(sources)) {
      const sub = subscriptionOf(consumer as ServiceName, source as ServiceName);
      if (sub.name === name) return sub.types.map((type) => eventSubject(topology.namespace, sub.source, type));
    }
  return undefined;
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return codec.decode(data);
  } catch {
    return Buffer.from(data).toString('utf8');
  }
}
