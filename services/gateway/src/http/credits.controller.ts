import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { balanceReply, parseOrThrow, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { noQuery } from './public-api.schemas';
import { requestContext } from './request-context';

/** `/credits`: the caller's balance, from billing. */
@Controller('credits')
export class CreditsController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Get()
  async balance(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    parseOrThrow(noQuery, query, 'query');
    const { balance, reserved } = await this.rpc.request(
      RPC.billing.balance,
      { userId: user.userId },
      { context: requestContext(request), reply: balanceReply },
    );
    return { balance, reserved };
  }
}
