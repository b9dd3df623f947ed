import { Api } from '../openapi/api-doc';
import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { graphReply, parseOrThrow, RPC, subjectsReply } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { noQuery } from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

/** `/subjects` and `/graph`: the caller's library as a whole, answered by the notes service. */
@Controller()
export class KnowledgeBaseController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'notes',
    summary: "The subjects of the caller's notes, with how many notes each has",
    replies: { 200: { description: 'Most notes first', contract: subjectsReply } },
  })
  @Get('subjects')
  async subjects(
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    parseOrThrow(noQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.notes.subjects,
        { userId: user.userId },
        { context: requestContext(request), reply: subjectsReply },
      ),
    );
  }

  @Api({
    tag: 'notes',
    summary: "The caller's notes as a graph, for a client to draw",
    description: 'Nodes are notes (with their subject); an edge joins two related notes, weighted by how related.',
    replies: { 200: { description: 'Nodes and weighted edges', contract: graphReply } },
  })
  @Get('graph')
  async graph(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    parseOrThrow(noQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.notes.graph,
        { userId: user.userId },
        { context: requestContext(request), reply: graphReply },
      ),
    );
  }
}
