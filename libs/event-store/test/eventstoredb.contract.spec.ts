import { containerRuntime, startEventStoreDb } from '@study-buddy/testing';
import { createEventStoreDbEventStore } from '../src';
import { CONTRACT_STREAM_PREFIX, describeEventStoreContract, FOREIGN_STREAM_PREFIX } from '../src/testing';

/**
 * EventStoreDB runs in a container. Where no container runtime answers (as on
 * the CI machine, which has no Docker engine), the suite is skipped and says why;
 * `npm run test:eventstoredb` asks for it and fails instead of skipping.
 */
const runtime = containerRuntime();
const required = process.env.EVENTSTOREDB_SUITE === 'required';
if (!runtime.available) {
  const message = `the EventStoreDB contract suite needs Docker or Podman: no container runtime (${runtime.reason})`;
  if (required) throw new Error(message);
  console.warn(`Skipping ${message}`);
}

describeEventStoreContract(
  'eventstoredb',
  async () => {
    const server = await startEventStoreDb();
    const { connectionString } = server;
    // Two services on one `$all`, as in production: each reads its own prefix only.
    const store = createEventStoreDbEventStore({ connectionString, streamPrefixes: [CONTRACT_STREAM_PREFIX] });
    const foreign = createEventStoreDbEventStore({ connectionString, streamPrefixes: [FOREIGN_STREAM_PREFIX] });
    return {
      store,
      foreign,
      teardown: async () => {
        await store.close();
        await foreign.close();
        await server.stop();
      },
    };
  },
  runtime.available ? describe : describe.skip,
);
