import { Api } from '../openapi/api-doc';
import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { parseOrThrow, playlistView, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { noQuery, pathId } from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

/** `/playlists/{id}`: a submitted playlist's videos with their status, and counts by status. */
@Controller('playlists')
export class PlaylistsController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'videos',
    summary: 'A submitted playlist: its videos with their status, and counts by status',
    replies: { 200: { description: 'The playlist', contract: playlistView } },
  })
  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const playlistId = pathId(id, 'Playlist');
    parseOrThrow(noQuery, query, 'query');
    const view = await this.rpc.request(
      RPC.videos.getPlaylist,
      { userId: user.userId, playlistId },
      { context: requestContext(request), reply: playlistView },
    );
    // counts are keyed by status names, already snake_case
    return toSnakeCase(view);
  }
}
