import { EventStore, RecordedEvent } from './event-store';

/** Turns the data of one event type from `fromVersion` into `fromVersion + 1`. Pure. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: unknown, event: RecordedEvent): unknown;
}

/** The event schemas a service writes now, as in `libs/contracts` (`{ type, version, schema }`). */
export type CurrentSchemas = Record<
  string,
  { type: string; version: number; schema: { parse(data: unknown): unknown } }
>;

export interface UpcasterRegistry {
  /** The event as the current schema describes it; `metadata.schemaVersion` is the current version. */
  upcast(event: RecordedEvent): RecordedEvent;
}

export class EventVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventVersionError';
  }
}

/**
 * Upcasters of the event types in `schemas`. An event stored at version N runs
 * the upcasters N→N+1→… up to the current version, and the result is validated
 * against the current schema (a wrong upcaster fails loudly, once, on read).
 * Events without `schemaVersion` were written before versions were recorded: 1.
 */
export function createUpcasterRegistry(schemas: CurrentSchemas, upcasters: readonly Upcaster[]): UpcasterRegistry {
  const current = new Map(Object.values(schemas).map((d) => [d.type, d]));
  const steps = new Map<string, Upcaster>();
  for (const u of upcasters) {
    const definition = current.get(u.type);
    if (!definition) throw new EventVersionError(`Upcaster for unknown event type ${u.type}`);
    if (u.fromVersion < 1 || u.fromVersion >= definition.version)
      throw new EventVersionError(`Upcaster ${u.type} v${u.fromVersion} is outside 1..${definition.version - 1}`);
    const key = `${u.type}@${u.fromVersion}`;
    if (steps.has(key)) throw new EventVersionError(`Two upcasters for ${u.type} v${u.fromVersion}`);
    steps.set(key, u);
  }
  for (const d of current.values()) {
    for (let v = 1; v < d.version; v++) {
      if (!steps.has(`${d.type}@${v}`))
        throw new EventVersionError(`${d.type} is at v${d.version} but nothing upcasts v${v} to v${v + 1}`);
    }
  }

  return {
    upcast(event) {
      const definition = current.get(event.type);
      if (!definition) return event;
      const stored = event.metadata.schemaVersion ?? 1;
      if (stored === definition.version) return event;
      if (stored > definition.version)
        throw new EventVersionError(
          `${event.type} ${event.id} is v${stored}, newer than this code's v${definition.version}: deploy the newer code`,
        );
      let data = event.data;
      for (let v = stored; v < definition.version; v++) data = steps.get(`${event.type}@${v}`)!.upcast(data, event);
      return {
        ...event,
        data: definition.schema.parse(data),
        metadata: { ...event.metadata, schemaVersion: definition.version },
      };
    },
  };
}

/**
 * The store as services see it: every event read (streams for deciders, the
 * global order for projectors and outbox relays) is upcast first, so no reader
 * ever handles an old shape. Appends pass through unchanged.
 */
export function upcastingEventStore(store: EventStore, registry: UpcasterRegistry): EventStore {
  return {
    name: store.name,
    readStream: async (streamName, options) => (await store.readStream(streamName, options)).map(registry.upcast),
    readAll: async (options) => (await store.readAll(options)).map(registry.upcast),
    appendToStream: (streamName, events, options) => store.appendToStream(streamName, events, options),
    waitForAppend: (after, timeoutMs) => store.waitForAppend(after, timeoutMs),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
