import { EventEmitter } from 'node:events';

/**
 * "Something was appended" for waiters: resolves on the next signal or after
 * `timeoutMs`. `alreadyPast` is checked after subscribing, so an append that
 * lands between the caller's last read and the wait is not slept through.
 */
export function waitForSignal(
  signal: EventEmitter,
  timeoutMs: number,
  alreadyPast: () => Promise<boolean>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.off('append', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal.on('append', done);
    void alreadyPast().then(
      (past) => past && done(),
      () => undefined,
    );
  });
}

export function createAppendSignal(): EventEmitter {
  const signal = new EventEmitter();
  signal.setMaxListeners(0);
  return signal;
}
