import { Api } from '../openapi/api-doc';
import { Controller, Get, Param, Query, Req, Inject } from '@nestjs/common';
import { listNotesReply, noteView, parseOrThrow, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { getNoteQuery, listNotesQuery, pathId } from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

/** `/notes`: answered by the notes service over NATS. */
@Controller('notes')
export class NotesController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'notes',
    summary: "The caller's notes, newest first",
    query: listNotesQuery,
    replies: { 200: { description: 'A page; pass next_cursor as cursor for the next one', contract: listNotesReply } },
  })
  @Get()
  async list(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(listNotesQuery, query, 'query');
    const page = await this.rpc.request(
      RPC.notes.list,
      { userId: user.userId, ...input },
      { context: requestContext(request), reply: listNotesReply },
    );
    return toSnakeCase({ items: page.items, next_cursor: page.nextCursor });
  }

  @Api({
    tag: 'notes',
    summary: 'One note',
    query: getNoteQuery,
    replies: { 200: { description: 'The note (with the Markdown when include_content is true)', contract: noteView } },
  })
  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const noteId = pathId(id, 'Note');
    const { include_content } = parseOrThrow(getNoteQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.notes.get,
        { userId: user.userId, noteId, includeContent: include_content },
        { context: requestContext(request), reply: noteView },
      ),
    );
  }
}
