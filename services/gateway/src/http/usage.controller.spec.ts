import { randomUUID } from 'node:crypto';
import { AppError, RPC } from '@study-buddy/contracts';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { UsageController } from './usage.controller';

describe('GET /usage', () => {
  const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
  const request = { headers: {} } as AuthenticatedRequest;
  const figures = {
    videos: 1,
    calls: 2,
    inputTokens: 900,
    outputTokens: 300,
    cacheReadTokens: 4000,
    cacheWriteTokens: 4000,
    estimatedCostUsd: null,
  };
  const controller = () => {
    const rpc = createRecordingRpc();
    rpc.respond(RPC.videos.usage, () => ({ months: [{ month: '2026-11', ...figures }], total: figures }));
    return { rpc, usage: new UsageController(rpc) };
  };

  it('asks videos for the caller’s months in the range, and answers in snake_case', async () => {
    const { rpc, usage } = controller();
    const reply = await usage.byMonth({ from: '2026-10', to: '2026-11' }, user, request);
    expect(rpc.callsTo(RPC.videos.usage)).toEqual([{ userId: user.userId, from: '2026-10', to: '2026-11' }]);
    expect(reply).toEqual({
      months: [
        {
          month: '2026-11',
          videos: 1,
          calls: 2,
          input_tokens: 900,
          output_tokens: 300,
          cache_read_tokens: 4000,
          cache_write_tokens: 4000,
          estimated_cost_usd: null,
        },
      ],
      total: expect.objectContaining({ videos: 1, estimated_cost_usd: null }),
    });
  });

  it.each([
    [{ from: '2026-13' }, 'from'],
    [{ to: '26-11' }, 'to'],
    [{ from: '2026-12', to: '2026-11' }, 'after'],
    [{ month: '2026-11' }, 'month'],
  ])('refuses %j with a 400 that names the problem, asking nothing', async (query, words) => {
    const { rpc, usage } = controller();
    const e = await usage.byMonth(query, user, request).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ httpStatus: 400 });
    expect(JSON.stringify(e)).toContain(words);
    expect(rpc.callsTo(RPC.videos.usage)).toEqual([]);
  });
});
