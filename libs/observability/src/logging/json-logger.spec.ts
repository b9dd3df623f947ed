import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { inSpan } from '../tracing/spans';
import { startTracing } from '../tracing/start-tracing';
import { JsonLogger } from './json-logger';
import { runWithLogContext, setLogUser } from './log-context';
import { redact } from './redact';

function capture(levels = ['fatal', 'error', 'warn', 'log'] as const) {
  const lines: { line: Record<string, unknown>; level: string }[] = [];
  const logger = new JsonLogger('videos', [...levels], (text, level) => lines.push({ line: JSON.parse(text), level }));
  return { logger, lines };
}

describe('the JSON logger', () => {
  const tracing = startTracing('logger-spec', {}, { exporter: new InMemorySpanExporter() });
  afterAll(() => tracing?.shutdown());

  it('writes one object per line with service, level, time, the logger name and the message', () => {
    const { logger, lines } = capture();
    logger.log('listening', 'Bootstrap');
    logger.debug('not at this level');
    expect(lines).toHaveLength(1);
    expect(lines[0].line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'log',
      service: 'videos',
      context: 'Bootstrap',
      msg: 'listening',
    });
  });

  it('carries the ids of the work a line belongs to: request, correlation, user, trace and span', async () => {
    const { logger, lines } = capture();
    await runWithLogContext({ requestId: 'r-1', correlationId: 'r-1' }, () =>
      inSpan('request', {}, async (span) => {
        setLogUser('user-9');
        await Promise.resolve();
        logger.warn('slow answer', 'Videos');
        return span;
      }).then((span) => {
        expect(lines[0].line).toMatchObject({
          level: 'warn',
          request_id: 'r-1',
          correlation_id: 'r-1',
          user_id: 'user-9',
          trace_id: span.spanContext().traceId,
          span_id: span.spanContext().spanId,
        });
      }),
    );
    logger.log('outside');
    expect(lines[1].line).not.toHaveProperty('request_id');
    expect(lines[1].line).not.toHaveProperty('trace_id');
  });

  it("keeps an error's stack and Nest's (message, stack, context) convention; errors go to their own stream", () => {
    const { logger, lines } = capture();
    logger.error('batch failed', 'Error: boom\n    at x', 'Projection:videos');
    logger.error(new Error('kaput'));
    expect(lines[0]).toEqual({
      level: 'error',
      line: expect.objectContaining({
        msg: 'batch failed',
        err: 'Error: boom\n    at x',
        context: 'Projection:videos',
      }),
    });
    expect(lines[1].line).toMatchObject({ msg: 'kaput', err: expect.stringContaining('Error: kaput') });
  });

  it('adds the fields of an object message (the access log)', () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'GET /videos/:id 200', status: 200, duration_ms: 1.5 }, 'HTTP');
    expect(lines[0].line).toMatchObject({ msg: 'GET /videos/:id 200', status: 200, duration_ms: 1.5, context: 'HTTP' });
  });

  it('masks what secrets look like, and the line stays valid JSON', () => {
    const { logger, lines } = capture();
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
    logger.log(`auth: Bearer ${jwt} with "password": "hunter2hunter2" for postgres://app:s3cret@db:5432/x`);
    logger.log({
      msg: 'key',
      key: 'sk-ant-api03-abcdefghijkl',
      stripe: 'sk_test_abcdefghijkl',
      hook: 'whsec_abcdefgh',
    });
    const text = lines.map((l) => JSON.stringify(l.line)).join('\n');
    for (const secret of [jwt, 'hunter2hunter2', 's3cret', 'sk-ant-api03', 'sk_test_abc', 'whsec_abc'])
      expect(text).not.toContain(secret);
    expect(redact('$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')).toBe('[password hash]');
  });
});
