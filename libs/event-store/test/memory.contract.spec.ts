import { createMemoryEventStore } from '../src';
import { describeEventStoreContract } from '../src/testing';

describeEventStoreContract('memory', async () => {
  const store = createMemoryEventStore();
  return { store, teardown: () => store.close() };
});
