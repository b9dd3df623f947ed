import { NotFoundException } from '@nestjs/common';
import { AppError } from '@study-buddy/contracts';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@study-buddy/event-store';
import { z } from 'zod';
import { toErrorPayload } from './to-error-payload';

describe('toErrorPayload', () => {
  it('keeps an AppError’s code, message, details and status', () => {
    expect(toErrorPayload(new AppError('insufficient_credits', 'None left', { balance: 0 }))).toEqual({
      status: 402,
      payload: { code: 'insufficient_credits', message: 'None left', details: { balance: 0 } },
    });
  });

  it('maps Fastify body errors to clear 4xx', () => {
    expect(toErrorPayload({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'x' })).toEqual({
      status: 415,
      payload: { code: 'unsupported_media_type', message: 'Content-Type must be application/json' },
    });
    expect(toErrorPayload({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'x' }).payload.code).toBe(
      'payload_too_large',
    );
    expect(
      toErrorPayload({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Unexpected end' }).payload
        .message,
    ).toMatch(/Malformed request body/);
  });

  it('maps Nest HTTP exceptions, zod errors and write conflicts', () => {
    expect(toErrorPayload(new NotFoundException('Cannot GET /nope')).status).toBe(404);
    expect(toErrorPayload(z.string().safeParse(1).error).payload.code).toBe('validation_failed');
    expect(toErrorPayload(new WrongExpectedRevisionError('s', 1n, 2n))).toMatchObject({
      status: 409,
      payload: { code: 'conflict' },
    });
  });

  it('asks the client to retry while the event store is unavailable, revealing nothing of the cause', () => {
    const cause = new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.7:2113');
    const result = toErrorPayload(new EventStoreUnavailableError('EventStoreDB', cause));
    expect(result).toMatchObject({ status: 503, payload: { code: 'unavailable', details: { retryAfterSeconds: 2 } } });
    expect(JSON.stringify(result)).not.toMatch(/10\.0\.0\.7/);
  });

  it('answers 503 with a retry hint when a database or object store is unreachable, revealing nothing of it', () => {
    const outages = [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
      new AggregateError([
        Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
        Object.assign(new Error('y'), { code: 'ENETUNREACH' }),
      ]),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('the object store did not answer within 10000 ms'),
    ];
    for (const error of outages) {
      const { status, payload } = toErrorPayload(error);
      expect([status, payload.code, payload.details]).toEqual([503, 'unavailable', { retryAfterSeconds: 5 }]);
      expect(payload.message).not.toMatch(/10\.0\.0\.5/);
    }
    // a query the database refuses is a bug, not an outage
    expect(toErrorPayload(Object.assign(new Error('syntax error'), { code: '42601' })).status).toBe(500);
  });

  it('hides everything else behind a generic 500', () => {
    const result = toErrorPayload(new Error('connection to 10.0.0.5 refused, password=hunter2'));
    expect(result).toEqual({ status: 500, payload: { code: 'internal', message: 'Internal error' } });
  });
});
