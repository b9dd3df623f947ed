import { execFileSync } from 'node:child_process';

export interface ContainerRuntime {
  available: boolean;
  /** Why not, when not available. */
  reason: string;
}

/**
 * Whether a container runtime (Docker, or Podman through DOCKER_HOST) answers.
 * Probed in a child process so that jest's synchronous describe() can decide
 * to skip; machines without a runtime (this project's CI) skip and say why.
 */
export function containerRuntime(): ContainerRuntime {
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

export interface EventStoreDbContainer {
  connectionString: string;
  stop(): Promise<void>;
}

/** A throwaway single-node EventStoreDB (insecure, in memory), as the contract suite and the bench use it. */
export async function startEventStoreDb(): Promise<EventStoreDbContainer> {
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
  return {
    connectionString: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
}
