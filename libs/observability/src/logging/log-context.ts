import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line says about the work it belongs to, besides the trace: the request and the acting user. */
export interface LogContext {
  requestId?: string;
  correlationId?: string;
  userId?: string;
}

// Our own storage, not the OTel context: the ids must reach the logs with tracing off too.
const storage = new AsyncLocalStorage<LogContext>();

export const currentLogContext = (): LogContext | undefined => storage.getStore();

/** Runs `fn` (and everything it starts) with these ids on every log line. */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...context }, fn);
}

/** Names the acting user once authentication knows it (the rest of the request logs it). */
export function setLogUser(userId: string): void {
  const store = storage.getStore();
  if (store) store.userId = userId;
}
