import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AppError,
  decodeCursor,
  defineEvent,
  encodeCursor,
  ERROR_HTTP_STATUS,
  parseIntegrationEvent,
  parseOrThrow,
  submitVideoRequest,
} from './index';

describe('errors', () => {
  it('round-trips an AppError through its wire payload', () => {
    const error = new AppError('insufficient_credits', 'No credits', { balance: 0 });
    const back = AppError.fromPayload(JSON.parse(JSON.stringify(error.toPayload())));
    expect(back).toMatchObject({
      code: 'insufficient_credits',
      message: 'No credits',
      details: { balance: 0 },
      httpStatus: 402,
    });
  });

  it('turns an unknown payload into a generic internal error', () => {
    expect(AppError.fromPayload({ status: 'error', message: 'Internal server error' })).toMatchObject({
      code: 'internal',
      httpStatus: 500,
    });
  });

  it('maps every code to a 4xx or 5xx status', () => {
    for (const status of Object.values(ERROR_HTTP_STATUS)) expect(status >= 400 && status < 600).toBe(true);
  });

  it('lists every validation issue with its path', () => {
    const schema = z.object({ a: z.string(), b: z.number() });
    try {
      parseOrThrow(schema, { a: 1 }, 'thing');
      throw new Error('expected a validation error');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('validation_failed');
      expect((e as AppError).message).toMatch(/^Invalid thing: a: .*; b: /);
      expect((e as AppError).details).toEqual({
        issues: [expect.objectContaining({ path: 'a' }), expect.objectContaining({ path: 'b' })],
      });
    }
  });
});

describe('cursors', () => {
  it('round-trips and rejects what it did not issue', () => {
    const cursor = encodeCursor('2026-11-30T10:00:00.000Z', 'abc');
    expect(decodeCursor(cursor)).toEqual({ createdAt: '2026-11-30T10:00:00.000Z', id: 'abc' });
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor(Buffer.from('["not a date","x"]').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeNull();
  });
});

describe('integration events', () => {
  const envelope = (data: unknown) => ({
    id: randomUUID(),
    type: 'UserRegistered',
    version: 1,
    source: 'gateway',
    stream: 'user-1',
    occurredAt: new Date().toISOString(),
    data,
    metadata: {},
  });

  it('validates the data against the published schema', () => {
    const event = parseIntegrationEvent(
      envelope({ userId: randomUUID(), email: 'a@example.com', registeredAt: new Date().toISOString() }),
    );
    expect(event.type).toBe('UserRegistered');
  });

  it('rejects data that breaks the schema, and unknown types', () => {
    expect(() => parseIntegrationEvent(envelope({ userId: 'nope' }))).toThrow();
    expect(() => parseIntegrationEvent({ ...envelope({}), type: 'Nonsense' })).toThrow(/Unknown integration event/);
  });

  it('refuses a version newer than the published definition, naming both', () => {
    const data = { userId: randomUUID(), email: 'a@example.com', registeredAt: new Date().toISOString() };
    expect(parseIntegrationEvent({ ...envelope(data), version: 1 }).version).toBe(1);
    expect(() => parseIntegrationEvent({ ...envelope(data), version: 2 })).toThrow(
      'gateway.UserRegistered v2 is newer than v1, the version this code knows',
    );
  });

  it('reads an older version with the current schema', () => {
    // a v2 definition that added an optional field, as a compatible evolution would
    const v2 = defineEvent('UserRegistered', 2, z.object({ userId: z.string().uuid(), plan: z.string().optional() }));
    const definitionOf = () => v2;
    const userId = randomUUID();
    expect(parseIntegrationEvent({ ...envelope({ userId }), version: 1 }, definitionOf).data).toEqual({ userId });
    expect(() => parseIntegrationEvent({ ...envelope({ userId: 'nope' }), version: 1 }, definitionOf)).toThrow();
    expect(() => parseIntegrationEvent({ ...envelope({ userId }), version: 3 }, definitionOf)).toThrow(
      /v3 is newer than v2/,
    );
  });

  it('knows no private domain event: what a service keeps to itself fails to parse as published', () => {
    for (const [source, type] of [
      ['videos', 'VideoProgressed'],
      ['processor', 'JobStarted'],
      ['billing', 'CreditCaptured'],
      ['gateway', 'UserEmailClaimed'],
      ['gateway', 'constructor'],
    ])
      expect(() => parseIntegrationEvent({ ...envelope({}), source, type })).toThrow(/Unknown integration event/);
  });

  it('never publishes a password hash: the gateway event has no such field', () => {
    const event = parseIntegrationEvent(
      envelope({
        userId: randomUUID(),
        email: 'a@example.com',
        registeredAt: new Date().toISOString(),
        passwordHash: 'x',
      }),
    );
    expect(event.data).not.toHaveProperty('passwordHash');
  });
});

describe('video submission contract', () => {
  it('bounds the transcript in characters and bytes', () => {
    const userId = randomUUID();
    expect(submitVideoRequest.safeParse({ userId, url: 'u', transcript: 'x'.repeat(600_001) }).success).toBe(false);
    expect(submitVideoRequest.safeParse({ userId, url: 'u', transcript: '€'.repeat(300_000) }).success).toBe(false);
    expect(submitVideoRequest.safeParse({ userId, url: 'u', transcript: 'fine' }).success).toBe(true);
  });
});
