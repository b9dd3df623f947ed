import { Body, Controller, Get, Param, Post, Query, Req, Res, Inject } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { listVideosReply, parseOrThrow, RPC, submitVideoReply, videoView } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { UsersService } from '../auth/users.service';
import { listVideosQuery, submitVideoBody } from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

/** `/videos`: validated here, answered by the videos service over NATS. */
@Controller('videos')
export class VideosController {
  constructor(
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    private readonly users: UsersService,
  ) {}

  /** 202 for a new submission (processing starts), 200 with the existing video for a repeat. */
  @Post()
  async submit(
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = parseOrThrow(submitVideoBody, body, 'video submission');
    // What the submission leaves out comes from the user's settings (PATCH /user).
    const defaults = await this.users.preferences(user.userId);
    const subject = input.subject ?? defaults.defaultSubject ?? undefined;
    const language = input.language ?? defaults.noteLanguage ?? undefined;
    const assessment = input.assessment ?? defaults.assessment ?? undefined;
    const result = await this.rpc.request(
      RPC.videos.submit,
      { userId: user.userId, ...input, subject, language, assessment },
      { context: requestContext(request), reply: submitVideoReply, timeoutMs: 15_000 },
    );
    void reply.status(result.created ? 202 : 200);
    const { created: _created, ...rest } = result;
    return toSnakeCase(rest);
  }

  @Get()
  async list(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(listVideosQuery, query, 'query');
    const page = await this.rpc.request(
      RPC.videos.list,
      { userId: user.userId, ...input },
      { context: requestContext(request), reply: listVideosReply },
    );
    return toSnakeCase({ items: page.items, next_cursor: page.nextCursor });
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    return toSnakeCase(
      await this.rpc.request(
        RPC.videos.get,
        { userId: user.userId, videoId: id },
        { context: requestContext(request), reply: videoView },
      ),
    );
  }
}
