import { createServer } from 'node:net';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port with `count` consecutive free ports after it, for stacks that run beside others (tests, benchmarks).
 * Below Linux's ephemeral range (32768 and up): a port free now could otherwise be taken by any outgoing
 * connection or port-0 listener before the service binds it.
 */
export async function findFreePortRange(count: number, from = 20_000, to = 32_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * (to - from - count));
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`No ${count} consecutive free ports found between ${from} and ${to}`);
}
