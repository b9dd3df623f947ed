import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { NatsConnection } from 'nats';
import { Pool } from 'pg';
import { BlobStore } from '@study-buddy/blob-store';
import { EventStore } from '@study-buddy/event-store';
import { BackgroundWorkers } from '../platform/background-workers';
import { BusConnections } from '../platform/bus-connections';
import { BLOB_STORE, EVENT_STORE, NATS_CONNECTION, PG_POOL } from '../platform/tokens';
import { Public } from './public.decorator';

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its dependencies and workers are up). */
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore | null,
    private readonly workers: BackgroundWorkers,
    private readonly bus: BusConnections,
  ) {}

  /**
   * Fails only when the process cannot recover by itself: a NATS connection closed for good (every one
   * reconnects without limit, so closed means it gave up). A bus or database outage is readiness' business.
   */
  @Get('healthz')
  healthz(@Res() reply: FastifyReply) {
    const closed = this.bus
      .all()
      .filter((c) => c.closed)
      .map((c) => c.name);
    void reply
      .status(closed.length ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
      .send(closed.length ? { status: 'failed', closed } : { status: 'ok' });
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply) {
    // A probe passes when it resolves to anything but false within 2 s.
    const check = async (probe: () => Promise<unknown>) =>
      withTimeout(probe(), 2000).then(
        (v) => v !== false,
        () => false,
      );
    const checks: Record<string, boolean> = {
      nats: !this.nc.isClosed() && !this.nc.isDraining() && (await check(() => this.nc.flush())),
      // each connection the service opened, Nest's transport for its request/reply handlers included
      ...Object.fromEntries(this.bus.all().map((c) => [`connection_${c.name}`, c.connected])),
      postgres: await check(() => this.pool.query('SELECT 1')),
      event_store: await check(() => this.store.headPosition()),
      ...(this.blobs ? { blob_store: await check(() => this.blobs!.ping()) } : {}),
      ...Object.fromEntries(Object.entries(this.workers.status()).map(([k, v]) => [k.replace(/\s+/g, '_'), v])),
    };
    const ready = Object.values(checks).every(Boolean);
    void reply
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ready ? 'ready' : 'not_ready', checks });
  }
}
