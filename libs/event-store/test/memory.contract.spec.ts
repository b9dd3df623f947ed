import { createMemoryEventStore } from '../src';
import { describeEventStoreContract } from '../src/testing';

describeEventStoreContract('memory', async () => {
  const store = createMemoryEventStore();
  // In-memory stores share nothing: another service's is simply another store.
  const foreign = createMemoryEventStore();
  return {
    store,
    foreign,
    teardown: async () => {
      await store.close();
      await foreign.close();
    },
  };
});
