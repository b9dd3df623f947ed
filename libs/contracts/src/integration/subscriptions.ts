import { ServiceName } from '../subjects';
import { PublishedType } from './published';

type Catalogue = { readonly [C in ServiceName]: { readonly [S in ServiceName]?: readonly PublishedType<S>[] } };

/**
 * Who consumes what: per consumer and source, the published types its handler
 * handles. Consumer wiring is typed against it (a handler map has exactly these
 * keys), and `satisfies` makes naming a type the source does not publish a
 * compile error.
 */
export const SUBSCRIPTIONS = {
  gateway: {},
  videos: {
    processor: ['JobProgressed', 'JobFailed', 'JobCompleted', 'JobSpendSettled'],
    notes: ['NoteCreated', 'NoteWithdrawn'],
  },
  processor: { videos: ['VideoSubmitted', 'VideoCancelled'] },
  notes: { processor: ['JobCompleted'], videos: ['VideoCancelled', 'VideoDeleted'] },
  billing: {
    gateway: ['UserRegistered'],
    videos: ['VideoCompleted', 'VideoFailed', 'VideoCancelled'],
  },
} as const satisfies Catalogue;

/** Published types with no consumer in the platform that are still published on purpose (for API clients). */
export const PUBLIC_FOR_CLIENTS: { readonly [S in ServiceName]?: readonly PublishedType<S>[] } = {};

export type SubscribedSource<C extends ServiceName> = keyof (typeof SUBSCRIPTIONS)[C] & ServiceName;
export type SubscribedType<
  C extends ServiceName,
  S extends SubscribedSource<C>,
> = (typeof SUBSCRIPTIONS)[C][S] extends readonly (infer T)[] ? T & PublishedType<S> : never;

/**
 * One logical consumer: a service reading the events of one source. Its `name`
 * keys processed events (idempotency), dead letters and replays; it reads
 * through one JetStream durable per type (nats-server 2.9 allows one filter
 * subject per consumer).
 */
export interface Subscription<S extends ServiceName = ServiceName, T extends string = string> {
  readonly consumer: ServiceName;
  readonly source: S;
  readonly name: string;
  readonly types: readonly T[];
}

export function subscription<C extends ServiceName, S extends SubscribedSource<C>>(
  consumer: C,
  source: S,
): Subscription<S, SubscribedType<C, S>> {
  const types = (SUBSCRIPTIONS[consumer] as Partial<Record<ServiceName, readonly string[]>>)[source];
  if (!types) throw new Error(`${consumer} does not subscribe to ${source}`);
  return { consumer, source, name: `${consumer}-${source}-events`, types: types as SubscribedType<C, S>[] };
}

/** The JetStream durable that reads one type for a logical consumer: `processor-videos-events-VideoSubmitted`. */
export function durableName(logicalName: string, type: string): string {
  return `${logicalName}-${type}`;
}
