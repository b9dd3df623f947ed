import { connect, NatsConnection } from 'nats';

export interface NatsOptions {
  url: string;
  name: string;
}

/** Connects with unlimited reconnects: a NATS restart must not take a service down. */
export function connectNats({ url, name }: NatsOptions): Promise<NatsConnection> {
  return connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    pingInterval: 10_000,
  });
}
