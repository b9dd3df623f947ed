import { ApiError } from '@study-buddy/api-client';
import { describeError } from '../src/errors';
import { CliError, EXIT } from '../src/exit-codes';

const server = 'http://127.0.0.1:8080';

describe('errors as the user sees them', () => {
  it('map the gateway’s answers to exit codes with its message', () => {
    expect(describeError(new ApiError(402, 'insufficient_credits', 'No credits left'), server)).toEqual({
      code: EXIT.credits,
      apiCode: 'insufficient_credits',
      message: 'No credits left (see: study-buddy buy)',
    });
    expect(describeError(new ApiError(401, 'unauthorized', 'Session ended'), server).code).toBe(EXIT.auth);
    expect(
      describeError(new ApiError(401, 'unauthorized', 'Invalid or expired access token: log in again'), server).message,
    ).toBe('Invalid or expired access token — log in again: study-buddy login');
    expect(describeError(new ApiError(404, 'not_found', 'Video not found'), server)).toMatchObject({
      code: EXIT.refused,
      message: 'Video not found',
    });
    expect(describeError(new ApiError(429, 'rate_limited', 'Slow down', undefined, 42), server).message).toBe(
      'Slow down (try again in 42 s)',
    );
    expect(describeError(new ApiError(503, 'unavailable', 'NATS is down'), server)).toMatchObject({
      code: EXIT.unexpected,
      message: 'The server failed: NATS is down',
    });
  });

  it('say the server is unreachable (exit code 6) for a refused connection', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(describeError(error, server)).toEqual({
      code: EXIT.unreachable,
      message: `Cannot reach the server at ${server} (ECONNREFUSED)`,
    });
  });

  it('keep a CliError as it is, and anything else as unexpected (exit code 1) without a stack', () => {
    expect(describeError(new CliError(EXIT.usage, 'bad'), server)).toEqual({ code: 2, message: 'bad' });
    const unexpected = describeError(new RangeError('boom'), server);
    expect(unexpected).toEqual({ code: 1, message: 'Unexpected error: boom' });
  });
});
