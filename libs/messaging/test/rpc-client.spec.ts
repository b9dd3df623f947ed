import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { MessagePattern, Payload, RpcException, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { connect, NatsConnection } from 'nats';
import { AppError } from '@study-buddy/contracts';
import { rpcClientDuration } from '@study-buddy/observability';
import { testNatsUrl, uniqueNamespace } from '@study-buddy/testing';
import { RpcClient } from '../src';

const ns = uniqueNamespace().subjects;
const SUBJECT = { echo: `${ns}test.echo`, fail: `${ns}test.fail`, slow: `${ns}test.slow`, crash: `${ns}test.crash` };

@Controller()
class TestMsController {
  @MessagePattern(SUBJECT.echo)
  echo(@Payload() data: { text: string }) {
    return { echoed: data.text };
  }

  @MessagePattern(SUBJECT.fail)
  fail() {
    throw new RpcException({ code: 'insufficient_credits', message: 'No credits left', details: { balance: 0 } });
  }

  @MessagePattern(SUBJECT.slow)
  async slow() {
    await new Promise((r) => setTimeout(r, 400));
    return { late: true };
  }
}

@Module({ controllers: [TestMsController] })
class TestModule {}

describe('RpcClient against the NestJS NATS transport', () => {
  let server: INestMicroservice;
  let nc: NatsConnection;
  let client: RpcClient;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    server = moduleRef.createNestMicroservice({
      transport: Transport.NATS,
      options: { servers: [testNatsUrl()], queue: 'test' },
    });
    server.useLogger(false);
    await server.listen();
    nc = await connect({ servers: testNatsUrl() });
    client = new RpcClient(nc, 500);
  });

  afterAll(async () => {
    await nc.close();
    await server.close();
  });

  it('returns the handler result', async () => {
    await expect(client.request(SUBJECT.echo, { text: 'hello' })).resolves.toEqual({ echoed: 'hello' });
  });

  it('turns an error reply into an AppError with code, message and details', async () => {
    const error = await client.request(SUBJECT.fail, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'insufficient_credits',
      message: 'No credits left',
      details: { balance: 0 },
      httpStatus: 402,
    });
  });

  it('fails fast with unavailable (503) when nobody answers the subject', async () => {
    const started = Date.now();
    const error = await client.request(`${ns}nobody.home`, {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable', httpStatus: 503 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails with timeout (504) when the responder is too slow', async () => {
    const error = await client.request(SUBJECT.slow, {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', httpStatus: 504 });
    // The message reaches HTTP callers: it names no internal subject.
    expect(JSON.stringify((error as AppError).toPayload())).not.toContain(SUBJECT.slow);
  });

  it('rejects a reply that does not match the declared contract', async () => {
    const { z } = await import('zod');
    const error = await client
      .request(SUBJECT.echo, { text: 'x' }, { reply: z.object({ other: z.string() }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'internal' });
  });

  it('times every request by RPC and outcome: ok, or the error code', async () => {
    await client.request(SUBJECT.echo, { text: 'timed' });
    await client.request(SUBJECT.fail, {}).catch(() => undefined);
    await client.request(SUBJECT.slow, {}, { timeoutMs: 50 }).catch(() => undefined);
    const { values } = await rpcClientDuration.get();
    const count = (rpc: string, outcome: string) =>
      values.find(
        (v) =>
          v.metricName === 'nats_rpc_client_duration_seconds_count' &&
          v.labels.rpc === rpc &&
          v.labels.outcome === outcome,
      )?.value;
    expect(count(SUBJECT.echo, 'ok')).toBeGreaterThanOrEqual(1);
    expect(count(SUBJECT.fail, 'insufficient_credits')).toBeGreaterThanOrEqual(1);
    expect(count(SUBJECT.slow, 'timeout')).toBeGreaterThanOrEqual(1);
    const slowSum = values.find(
      (v) =>
        v.metricName === 'nats_rpc_client_duration_seconds_sum' &&
        v.labels.rpc === SUBJECT.slow &&
        v.labels.outcome === 'timeout',
    )?.value;
    expect(slowSum).toBeGreaterThanOrEqual(0.04); // measured in seconds, not milliseconds
  });
});
