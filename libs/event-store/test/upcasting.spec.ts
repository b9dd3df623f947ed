import { z } from 'zod';
import { createMemoryEventStore, createUpcasterRegistry, Upcaster, upcastingEventStore } from '../src';

const schemas = {
  Renamed: {
    type: 'Renamed',
    version: 3,
    schema: z.object({ first: z.string(), last: z.string().nullable(), v: z.literal(3) }),
  },
  Other: { type: 'Other', version: 1, schema: z.object({}) },
};
const steps: Upcaster[] = [
  { type: 'Renamed', fromVersion: 1, upcast: (d) => ({ first: (d as { name: string }).name, v: 2 }) },
  { type: 'Renamed', fromVersion: 2, upcast: (d) => ({ ...(d as object), last: null, v: 3 }) },
];

describe('upcasters', () => {
  it('runs every step from the stored version to the current one, on streams and on the global order', async () => {
    const raw = createMemoryEventStore();
    await raw.appendToStream(
      's-1',
      [
        { type: 'Renamed', data: { name: 'Ada' } }, // no schemaVersion: written before versions were recorded
        { type: 'Renamed', data: { first: 'Ada', v: 2 }, metadata: { schemaVersion: 2, userId: 'u' } },
        { type: 'Renamed', data: { first: 'Ada', last: 'L', v: 3 }, metadata: { schemaVersion: 3 } },
        { type: 'Untracked', data: { anything: true }, metadata: { schemaVersion: 7 } },
      ],
      { expectedRevision: 'no_stream' },
    );
    const store = upcastingEventStore(raw, createUpcasterRegistry(schemas, steps));
    for (const events of [await store.readStream('s-1'), await store.readAll()]) {
      expect(events.map((e) => [e.data, e.metadata.schemaVersion])).toEqual([
        [{ first: 'Ada', last: null, v: 3 }, 3],
        [{ first: 'Ada', last: null, v: 3 }, 3],
        [{ first: 'Ada', last: 'L', v: 3 }, 3],
        [{ anything: true }, 7],
      ]);
    }
    expect((await store.readStream('s-1'))[1].metadata.userId).toBe('u');
  });

  it('refuses a registry with a missing or duplicate step, and events it cannot read', async () => {
    expect(() => createUpcasterRegistry(schemas, steps.slice(0, 1))).toThrow(/nothing upcasts v2 to v3/);
    expect(() => createUpcasterRegistry(schemas, [...steps, steps[0]])).toThrow(/Two upcasters/);
    expect(() => createUpcasterRegistry(schemas, [{ ...steps[0], type: 'Nope' }])).toThrow(/unknown event type/);

    const raw = createMemoryEventStore();
    await raw.appendToStream('s-2', [{ type: 'Renamed', data: {}, metadata: { schemaVersion: 4 } }], {
      expectedRevision: 'no_stream',
    });
    const store = upcastingEventStore(raw, createUpcasterRegistry(schemas, steps));
    await expect(store.readStream('s-2')).rejects.toThrow(/v4, newer than this code's v3/);

    const broken = upcastingEventStore(
      raw,
      createUpcasterRegistry(schemas, [steps[0], { ...steps[1], upcast: (d) => d }]),
    );
    await raw.appendToStream('s-3', [{ type: 'Renamed', data: { name: 'x' } }], { expectedRevision: 'no_stream' });
    await expect(broken.readStream('s-3')).rejects.toThrow(); // a wrong upcaster fails on read, not in evolve
  });
});
