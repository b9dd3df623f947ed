import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AppError, findUserRequest, parseOrThrow, RPC } from '@study-buddy/contracts';
import { rpcPattern, RpcErrorFilter } from '@study-buddy/nest-kit';
import { normaliseEmail } from './auth/users.service';
import { UsersQueries } from './read-model/users.queries';

/** Request/reply handlers of the gateway (NATS): lookups for operators' tools such as the credits CLI. */
@Controller()
@UseFilters(RpcErrorFilter)
export class GatewayMsController {
  constructor(private readonly users: UsersQueries) {}

  @MessagePattern(rpcPattern(RPC.gateway.findUser))
  async findUser(@Payload() payload: unknown) {
    const { email } = parseOrThrow(findUserRequest, payload);
    const userId = await this.users.userIdByEmail(normaliseEmail(email));
    if (!userId) throw new AppError('not_found', 'No user is registered with this e-mail address');
    return { userId };
  }
}
