import { execFileSync } from 'node:child_process';
import { createEventStoreDbEventStore } from '../src';
import { CONTRACT_STREAM_PREFIX, describeEventStoreContract, FOREIGN_STREAM_PREFIX } from '../src/testing';

/**
 * EventStoreDB runs in a container. Where no container runtime answers (as on
 * the CI machine, which has no Docker engine), the suite is skipped and says why.
 * The probe runs in a child process because jest's describe() cannot await.
 */
function containerRuntime(): { available: boolean; reason: string } {
  try {
    execFileSync(
      process.execPath,
      [
        '-e',
        "require('testcontainers').getContainerRuntimeClient().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })",
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000, cwd: __dirname },
    );
    return { available: true, reason: '' };
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
    return { available: false, reason: stderr || String(e) };
  }
}

const runtime = containerRuntime();
if (!runtime.available) {
  console.warn(`Skipping the EventStoreDB contract suite: no container runtime (${runtime.reason})`);
}

describeEventStoreContract(
  'eventstoredb',
  async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(process.env.EVENTSTOREDB_IMAGE ?? 'eventstore/eventstore:24.10')
      .withEnvironment({
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_MEM_DB: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'None',
        EVENTSTORE_CLUSTER_SIZE: '1',
      })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
      .start();
    const connectionString = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
    // Two services on one `$all`, as in production: each reads its own prefix only.
    const store = createEventStoreDbEventStore({ connectionString, streamPrefixes: [CONTRACT_STREAM_PREFIX] });
    const foreign = createEventStoreDbEventStore({ connectionString, streamPrefixes: [FOREIGN_STREAM_PREFIX] });
    return {
      store,
      foreign,
      teardown: async () => {
        await store.close();
        await foreign.close();
        await container.stop();
      },
    };
  },
  runtime.available ? describe : describe.skip,
);
