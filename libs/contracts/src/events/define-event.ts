import { z } from 'zod';

/**
 * A versioned event schema. `version` is written into each event's metadata
 * (`schemaVersion`) so readers can upcast old shapes when a schema evolves.
 */
export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly type: TType;
  readonly version: number;
  readonly schema: TSchema;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  type: TType,
  version: number,
  schema: TSchema,
): EventDefinition<TType, TSchema> {
  return { type, version, schema };
}

/** `{ type, data }` for one definition: the shape deciders emit and evolve over. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { type: T; data: z.infer<S> } : never;

/** A union of `{ type, data }` over a record of definitions. */
export type EventsOf<R extends Record<string, EventDefinition>> = { [K in keyof R]: EventOf<R[K]> }[keyof R];

export const uuid = z.string().uuid();

/** For ids that arrive in URLs: anything else cannot name a resource, so it reads as not found. */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
export const isoDate = z.string().datetime({ offset: true });
