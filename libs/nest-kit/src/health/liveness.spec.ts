import { ArgumentsHost } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { connect } from 'nats';
import { AppError } from '@study-buddy/contracts';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { BackgroundWorkers } from '../platform/background-workers';
import { BusConnections } from '../platform/bus-connections';
import { HealthController } from './health.controller';

/** Records what a handler sends, as Fastify's reply would carry it. */
function recordingReply() {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

describe('liveness and passing outages', () => {
  it('fails liveness only once a NATS connection is closed for good', async () => {
    const bus = new BusConnections();
    const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
    bus.track('rpc_handlers', nc);
    const health = new HealthController(nc, null as never, null as never, null, new BackgroundWorkers(), bus);

    const live = recordingReply();
    health.healthz(live.reply);
    expect(live.sent).toMatchObject({ status: 200, body: { status: 'ok' } });

    await nc.close();
    const dead = recordingReply();
    health.healthz(dead.reply);
    expect(dead.sent).toMatchObject({ status: 503, body: { status: 'failed', closed: ['rpc_handlers'] } });
  });

  it('tells the client when to try again while the bus is down', () => {
    const { reply, sent } = recordingReply();
    const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
    new HttpErrorFilter().catch(
      new AppError('unavailable', 'The platform is briefly unavailable', { retryAfterSeconds: 2 }),
      host,
    );
    expect(sent).toMatchObject({ status: 503, headers: { 'retry-after': '2' } });
    expect(sent.body).toMatchObject({ error: { code: 'unavailable' } });
  });
});
