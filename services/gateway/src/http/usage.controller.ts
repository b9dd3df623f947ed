import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { parseOrThrow, RPC, usageReply } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { Api } from '../openapi/api-doc';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { usageQuery } from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

/** `/usage`: what the caller's videos cost in model calls, by month, answered by videos. */
@Controller('usage')
export class UsageController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'usage',
    summary: "The caller's model spend by month (UTC), newest first",
    description:
      'The model calls of every completed attempt of the caller’s videos (a later retry or deletion does not take ' +
      'back what was spent), with the cost estimated from the operator’s price table. estimated_cost_usd ' +
      'is null when some of the usage had no price. Months without usage are left out.',
    query: usageQuery,
    replies: {
      200: {
        description: 'videos: how many videos had model calls (in the total, each video once)',
        contract: usageReply,
        example: {
          months: [
            {
              month: '2026-11',
              videos: 2,
              calls: 4,
              input_tokens: 1800,
              output_tokens: 2400,
              cache_read_tokens: 8000,
              cache_write_tokens: 8000,
              estimated_cost_usd: 0.0966,
            },
          ],
          total: {
            videos: 2,
            calls: 4,
            input_tokens: 1800,
            output_tokens: 2400,
            cache_read_tokens: 8000,
            cache_write_tokens: 8000,
            estimated_cost_usd: 0.0966,
          },
        },
      },
    },
  })
  @Get()
  async byMonth(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(usageQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.videos.usage,
        { userId: user.userId, ...input },
        { context: requestContext(request), reply: usageReply },
      ),
    );
  }
}
