import { z } from 'zod';
import { findUnsafeText, getNoteRequest, getVideoRequest, normaliseResourceId, parseOrThrow, safeText } from './index';

describe('the shared string sanitiser', () => {
  it('finds a NUL byte or a lone surrogate at any depth, in values and keys', () => {
    expect(findUnsafeText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({
      path: 'a.1.c',
      message: 'must not contain NUL characters',
    });
    expect(findUnsafeText({ n: '\ud83d' })?.path).toBe('n');
    expect(findUnsafeText({ n: 'x\udc00' })?.path).toBe('n');
    expect(findUnsafeText({ ['k\u0000']: 1 })?.path).toBe('(key)');
    expect(findUnsafeText({ emoji: '\ud83d\ude00', text: 'plain', n: 1, b: null })).toBeUndefined();
  });

  it('makes parseOrThrow refuse them whatever the schema, as validation_failed', () => {
    expect(() => parseOrThrow(z.object({ name: z.string() }), { name: 'a\u0000' }, 'thing')).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        message: 'Invalid thing: name: must not contain NUL characters',
      }),
    );
    // Even a field the schema would strip is checked: nothing unsafe reaches a handler's logs either.
    expect(() => parseOrThrow(z.object({}), { extra: '\ud800' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(safeText().safeParse('a\u0000').success).toBe(false);
  });
});

describe('resource ids', () => {
  it('lower-cases a UUID of any case and refuses anything else', () => {
    expect(normaliseResourceId('0A5F6C1E-1B2C-4D3E-8F4A-5B6C7D8E9F00')).toBe('0a5f6c1e-1b2c-4d3e-8f4a-5b6c7d8e9f00');
    expect(normaliseResourceId('not-a-uuid')).toBeNull();
  });

  it('reach every service lower-cased', () => {
    const userId = '0a5f6c1e-1b2c-4d3e-8f4a-5b6c7d8e9f00';
    const upper = 'AB5F6C1E-1B2C-4D3E-8F4A-5B6C7D8E9F00';
    expect(getVideoRequest.parse({ userId, videoId: upper }).videoId).toBe(upper.toLowerCase());
    expect(getNoteRequest.parse({ userId, noteId: upper }).noteId).toBe(upper.toLowerCase());
  });
});
