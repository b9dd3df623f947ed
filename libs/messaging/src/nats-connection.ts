import { connect, NatsConnection } from 'nats';

export interface NatsOptions {
  url: string;
  name: string;
}

/** Every connection a service opens reconnects without limit: no NATS outage may take a service down for good. */
export const NATS_RECONNECT = { maxReconnectAttempts: -1, reconnectTimeWait: 1000, pingInterval: 10_000 } as const;

/**
 * `noAsyncTraces`: otherwise the client captures two stack traces per request (for a timeout it
 * may never report), a few percent of the gateway's CPU; RpcClient turns NATS errors into
 * AppErrors by code and never shows those stacks.
 */
export function connectNats({ url, name }: NatsOptions): Promise<NatsConnection> {
  return connect({ servers: url.split(','), name, noAsyncTraces: true, ...NATS_RECONNECT });
}
