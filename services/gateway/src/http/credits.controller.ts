import { Controller, Get, Req, Inject } from '@nestjs/common';
import { balanceReply, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { requestContext } from './request-context';

/** `/credits`: the caller's balance, from billing. */
@Controller('credits')
export class CreditsController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Get()
  async balance(@CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const { balance, reserved } = await this.rpc.request(
      RPC.billing.balance,
      { userId: user.userId },
      { context: requestContext(request), reply: balanceReply },
    );
    return { balance, reserved };
  }
}
