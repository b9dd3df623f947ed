import { Injectable } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { ConnectionState, trackConnection } from '@study-buddy/messaging';

/**
 * Every NATS connection this service opened (its own, and the one Nest's
 * transport opens for `@MessagePattern` handlers): readiness reports each,
 * liveness fails once one is closed for good.
 */
@Injectable()
export class BusConnections {
  private readonly states: ConnectionState[] = [];

  track(name: string, nc: NatsConnection): ConnectionState {
    const state = trackConnection(name, nc);
    this.states.push(state);
    return state;
  }

  all(): readonly ConnectionState[] {
    return this.states;
  }
}
