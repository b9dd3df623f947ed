import { DebugEvents, Events, NatsConnection } from 'nats';

/** Whether a NATS connection can carry messages right now, and whether it is gone for good. */
export interface ConnectionState {
  readonly name: string;
  /** False from a disconnect until the client has reconnected. */
  readonly connected: boolean;
  /** Closed for good: nothing in this process will bring it back (liveness fails). */
  readonly closed: boolean;
}

/**
 * Follows a connection's status events. nats.js buffers publishes and requests
 * while it reconnects, so a caller cannot tell an outage from a slow answer:
 * this state lets request paths fail at once instead of waiting out their timeout.
 */
export function trackConnection(name: string, nc: NatsConnection): ConnectionState {
  let connected = !nc.isClosed();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect || status.type === DebugEvents.Reconnecting) connected = false;
      else if (status.type === Events.Reconnect) connected = true;
    }
  })().catch(() => undefined);
  return {
    name,
    get connected() {
      return connected && !nc.isClosed();
    },
    get closed() {
      return nc.isClosed();
    },
  };
}
