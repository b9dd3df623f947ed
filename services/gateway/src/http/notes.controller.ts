import { Api } from '../openapi/api-doc';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  AppError,
  listNotesReply,
  noteVersionsReply,
  noteView,
  parseOrThrow,
  relatedNotesReply,
  RPC,
} from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { z } from 'zod';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  editNoteBody,
  getNoteQuery,
  ifMatchHeader,
  listNotesQuery,
  noQuery,
  noteEtag,
  pathId,
  relatedNotesQuery,
} from './public-api.schemas';
import { requestContext } from './request-context';
import { toSnakeCase } from './snake-case';

const deletedReply = z.object({ deleted: z.literal(true) });

/**
 * The version an edit was made on, from If-Match. Missing: 428 (an edit without one could silently
 * overwrite another tab's, so it is not accepted). Anything but one of our ETags matches no version: 412.
 */
function expectedVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '')
    throw new AppError(
      'precondition_required',
      'If-Match is required: send the ETag of the version you edited (from GET /notes/{id})',
    );
  const version = /^\s*"([1-9]\d{0,8})"\s*$/.exec(ifMatch)?.[1];
  if (!version)
    throw new AppError('precondition_failed', 'If-Match names no version of this note: send its ETag, e.g. "3"');
  return Number(version);
}

/** `/notes`: answered by the notes service over NATS. */
@Controller('notes')
export class NotesController {
  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'notes',
    summary: "The caller's notes, newest first, or the best matches of a search",
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
    description:
      'With include_content: `content` is the full Markdown (front matter, the body with [[links]] to other notes, ' +
      'a generated Related notes section) and `body` the owner’s own text, what PATCH takes. The ETag header is the version.',
    query: getNoteQuery,
    replies: { 200: { description: 'The note (with the Markdown when include_content is true)', contract: noteView } },
  })
  @Get(':id')
  async get(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const noteId = pathId(id, 'Note');
    const { include_content } = parseOrThrow(getNoteQuery, query, 'query');
    const note = await this.rpc.request(
      RPC.notes.get,
      { userId: user.userId, noteId, includeContent: include_content },
      { context: requestContext(request), reply: noteView },
    );
    if (note.version) void reply.header('etag', noteEtag(note.version));
    return toSnakeCase(note);
  }

  @Api({
    tag: 'notes',
    summary: 'Edit a note: title, subject, tags or its Markdown body',
    description:
      'Each edit is a new version (GET /notes/{id}/versions). If-Match must carry the ETag of the version edited: ' +
      'missing 428, stale 412 (read the note again). A pasted front matter or Related notes section is dropped from ' +
      'the body: both are generated. Links to and from other notes follow shortly.',
    body: editNoteBody,
    bodyExample: { title: 'Photosynthesis, revised', body: '# Photosynthesis\n\nMy own words.' },
    headers: { 'if-match': { schema: ifMatchHeader, description: 'The ETag of the version edited, e.g. "3"' } },
    errors: ['precondition_failed', 'precondition_required'],
    replies: {
      200: { description: 'The note as it is now, with its content; ETag: its new version', contract: noteView },
    },
  })
  @Patch(':id')
  async edit(
    @Param('id') id: string,
    @Query() query: unknown,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const noteId = pathId(id, 'Note');
    parseOrThrow(noQuery, query, 'query');
    const input = parseOrThrow(editNoteBody, body, 'note');
    const note = await this.rpc.request(
      RPC.notes.edit,
      { userId: user.userId, noteId, expectedVersion: expectedVersion(ifMatch), ...input },
      { context: requestContext(request), reply: noteView, timeoutMs: 15_000 },
    );
    if (note.version) void reply.header('etag', noteEtag(note.version));
    return toSnakeCase(note);
  }

  @Api({
    tag: 'notes',
    summary: 'Delete a note and every version of it',
    description: 'Its video stays (deleting the video deletes its note too); other notes stop linking to it shortly.',
    replies: { 204: { description: 'Deleted' } },
  })
  @Delete(':id')
  @HttpCode(204)
  async delete(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const noteId = pathId(id, 'Note');
    parseOrThrow(noQuery, query, 'query');
    await this.rpc.request(
      RPC.notes.delete,
      { userId: user.userId, noteId },
      { context: requestContext(request), reply: deletedReply },
    );
  }

  @Api({
    tag: 'notes',
    summary: "A note's versions, oldest first",
    replies: { 200: { description: 'Every version since the note was filed', contract: noteVersionsReply } },
  })
  @Get(':id/versions')
  async versions(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const noteId = pathId(id, 'Note');
    parseOrThrow(noQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.notes.versions,
        { userId: user.userId, noteId },
        { context: requestContext(request), reply: noteVersionsReply },
      ),
    );
  }

  @Api({
    tag: 'notes',
    summary: 'The notes most related to this one (among the caller’s own)',
    description:
      'From shared concepts and tags and the similarity of their text; notes under a threshold are not listed. ' +
      'shared_concepts says what the two have in common.',
    query: relatedNotesQuery,
    replies: { 200: { description: 'Strongest first', contract: relatedNotesReply } },
  })
  @Get(':id/related')
  async related(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
  ) {
    const noteId = pathId(id, 'Note');
    const { limit } = parseOrThrow(relatedNotesQuery, query, 'query');
    return toSnakeCase(
      await this.rpc.request(
        RPC.notes.related,
        { userId: user.userId, noteId, limit },
        { context: requestContext(request), reply: relatedNotesReply },
      ),
    );
  }
}
