import http from 'node:http';
import https from 'node:https';
import { Duplex } from 'node:stream';

type CreateConnection = (options: object, callback: (error: Error | null, socket: Duplex) => void) => Duplex;

/**
 * An agent whose sockets are destroyed after `timeoutMs` without traffic: the minio client has no request
 * timeout, and Node only reports an idle socket, so an object store that accepts connections but never
 * answers would hang every call (and the request holding it) forever.
 */
export function timeoutAgent(protocol: 'http:' | 'https:', timeoutMs: number): http.Agent {
  const agent = protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const withSockets = agent as unknown as { createConnection: CreateConnection };
  const create = withSockets.createConnection.bind(agent);
  withSockets.createConnection = (options, callback) => {
    const socket = create(options, callback);
    (socket as Duplex & { setTimeout(ms: number, cb: () => void): void }).setTimeout(timeoutMs, () =>
      socket.destroy(
        Object.assign(new Error(`the object store did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
      ),
    );
    return socket;
  };
  return agent;
}
