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

/**
 * Types a consumer handled in an earlier release and no longer does: their durables are deleted at start.
 * Named, not inferred from what a release does not know, so a replica of an older release (a rolling
 * update, a rollback) never deletes the durable of a type added after it.
 */
export const RETIRED_SUBSCRIPTIONS: {
  readonly [C in ServiceName]?: { readonly [S in ServiceName]?: readonly PublishedType<S>[] };
} = {
  // billing stopped confirming holds on submission (its reservation sweeper checks old holds instead)
  billing: { videos: ['VideoSubmitted'] },
};

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
  /** Types this consumer read from the source in an earlier release (`RETIRED_SUBSCRIPTIONS`). */
  readonly retired: readonly string[];
}

export function subscription<C extends ServiceName, S extends SubscribedSource<C>>(
  consumer: C,
  source: S,
): Subscription<S, SubscribedType<C, S>> {
  const types = (SUBSCRIPTIONS[consumer] as Partial<Record<ServiceName, readonly string[]>>)[source];
  if (!types) throw new Error(`${consumer} does not subscribe to ${source}`);
  const retired = (RETIRED_SUBSCRIPTIONS[consumer] as Partial<Record<ServiceName, readonly string[]>> | undefined)?.[
    source
  ];
  return {
    consumer,
    source,
    name: `${consumer}-${source}-events`,
    types: types as SubscribedType<C, S>[],
    retired: (retired ?? []).filter((type) => !types.includes(type)),
  };
}

/** The JetStream durable that reads one type for a logical consumer: `processor-videos-events-VideoSubmitted`. */
export function durableName(logicalName: string, type: string): string {
  return `${logicalName}-${type}`;
}
