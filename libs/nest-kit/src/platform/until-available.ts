import { setTimeout as sleep } from 'node:timers/promises';
import { EventStoreUnavailableError } from '@study-buddy/event-store';

/** Socket errors that mean "not there yet", not "wrongly configured". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
]);
/** PostgreSQL starting up or shutting down (57P03 cannot_connect_now, class 08 connection exceptions). */
const POSTGRES_TRANSIENT = /^(57P03|08\d{3})$/;
/** NATS refusing or JetStream not enabled yet; MinIO still initialising. (EventStoreDB: EventStoreUnavailableError.) */
const SERVER_TRANSIENT = new Set([
  'CONNECTION_REFUSED',
  '503',
  'TIMEOUT',
  'XMinioServerNotInitialized',
  'ServiceUnavailable',
  'SlowDown',
]);

/**
 * Whether a dependency failed because it is not up yet. A pod usually starts
 * beside its database, NATS and object store (a fresh cluster, a node
 * restart): those failures are worth waiting out. Bad credentials or a
 * malformed URL are not: they fail at once, with their own message.
 */
export function isStartingUp(error: unknown): boolean {
  const errors: unknown[] = error instanceof AggregateError ? error.errors : [error];
  return errors.some((e) => {
    const code = String((e as { code?: unknown })?.code ?? '');
    return (
      EventStoreUnavailableError.is(e) ||
      NETWORK_CODES.has(code) ||
      POSTGRES_TRANSIENT.test(code) ||
      SERVER_TRANSIENT.has(code) ||
      /the database system is (starting up|shutting down)/.test(String((e as Error)?.message))
    );
  });
}

export interface UntilAvailableOptions {
  /** Give up after this long: the process exits and its supervisor (Kubernetes) restarts it. */
  timeoutMs: number;
  onWait?: (what: string, error: unknown, retryInMs: number) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Runs `attempt` until it succeeds, waiting with backoff while the dependency is still starting. */
export async function untilAvailable<T>(
  what: string,
  attempt: () => Promise<T>,
  options: UntilAvailableOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 250;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const remaining = deadline - Date.now();
      if (!isStartingUp(error) || remaining <= 0) throw error;
      const wait = Math.min(delay, remaining);
      options.onWait?.(what, error, wait);
      await sleep(wait);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5000);
    }
  }
}
