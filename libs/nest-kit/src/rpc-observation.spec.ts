import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { connect, NatsConnection } from 'nats';
import { contextFromHeaders, MessageContext, RpcClient } from '@study-buddy/messaging';
import { currentLogContext, inSpan, LogContext } from '@study-buddy/observability';
import { startTracing } from '@study-buddy/observability/tracing';
import { observedNatsServer } from './rpc-observation';

const NS = `rpcobs${process.pid}.`;
const seen: { context: MessageContext; log?: LogContext }[] = [];

@Controller()
class TracedController {
  @MessagePattern(`${NS}traced.ping`)
  ping(@Ctx() ctx: NatsContext) {
    seen.push({ context: contextFromHeaders(ctx.getHeaders()), log: currentLogContext() });
    return { pong: true };
  }
}

@Module({ controllers: [TracedController] })
class TracedModule {}

describe('RPC handlers in a server span', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing('nest-kit-spec', {}, { exporter });
  let server: INestMicroservice;
  let nc: NatsConnection;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TracedModule] }).compile();
    server = moduleRef.createNestMicroservice({
      strategy: observedNatsServer({ servers: [process.env.NATS_URL ?? 'nats://127.0.0.1:4222'], queue: 'rpcobs' }, NS),
    });
    server.useLogger(false);
    await server.listen();
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  });
  afterAll(async () => {
    await nc.close();
    await server.close();
    await tracing?.shutdown();
  });

  it("continues the caller's trace, hands its own span on, and logs with the caller's ids", async () => {
    const client = new RpcClient(nc, 2000, NS);
    await inSpan('caller', {}, () =>
      client.request('traced.ping', {}, { context: { correlationId: 'corr-1', userId: 'user-1' } }),
    );
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'traced.ping request')!;
    const served = spans.find((s) => s.name === 'traced.ping process');
    expect(served).toBeDefined();
    expect(served!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(served!.attributes).toMatchObject({ 'rpc.method': 'traced.ping', 'rpc.system': 'nats' });
    const { traceId, spanId } = served!.spanContext();
    expect(seen[0].context).toMatchObject({ correlationId: 'corr-1', traceparent: `00-${traceId}-${spanId}-01` });
    expect(seen[0].log).toEqual({ correlationId: 'corr-1', userId: 'user-1' });
  });
});
