import { Readable } from 'node:stream';
import { Controller, Get, Inject, Logger, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ExportKind, exportChunk, parseOrThrow, PreparedExport, preparedExport, RPC } from '@study-buddy/contracts';
import { Rpc } from '@study-buddy/messaging';
import { RPC_CLIENT } from '@study-buddy/nest-kit';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { Api } from '../openapi/api-doc';
import { contentDisposition } from './content-disposition';
import { pathId } from './public-api.schemas';
import { RateLimit } from './rate-limit.guard';
import { requestContext } from './request-context';

export const downloadQuery = z
  .object({ format: z.enum(['md', 'pdf'], { message: 'must be md or pdf' }).default('md') })
  .strict();
const subject = z.string().trim().min(1).max(100).optional().describe("Only this subject's notes (any letter case)");
export const vaultQuery = z.object({ subject }).strict();
export const ankiQuery = z
  .object({
    subject,
    format: z
      .enum(['apkg', 'csv'], { message: 'must be apkg or csv' })
      .default('apkg')
      .describe('apkg: an Anki package; csv: front, back, tags, deck, kind, for other flashcard tools'),
  })
  .strict();

/** Building a library export reads every note and renders files: far longer than an ordinary call. */
const PREPARE_TIMEOUT_MS = 60_000;
const LIMIT_ERRORS = ['payload_too_large'] as const;

/**
 * Downloads. The notes service builds the file and keeps it in object storage in chunks (a NATS
 * reply holds about 1 MB); this streams the HTTP reply one chunk at a time (reading at most one
 * ahead of the client, so a slow client holds little of the gateway's memory) and has the export discarded once it is sent or the client
 * went away. Content-Length is known up front, so a client sees a cut-off download as incomplete.
 */
@Controller()
export class ExportsController {
  private readonly logger = new Logger(ExportsController.name);

  constructor(@Inject(RPC_CLIENT) private readonly rpc: Rpc) {}

  @Api({
    tag: 'exports',
    summary: 'Download one note as Markdown (with front matter) or PDF',
    description:
      'Markdown: YAML front matter (title, subject, tags, concepts, source video, created) and the note. PDF: rendered with embedded fonts that cover Latin, Greek and Cyrillic.',
    query: downloadQuery,
    replies: {
      200: {
        description: 'The file, as an attachment',
        contentType: ['text/markdown', 'application/pdf'],
        binary: true,
      },
    },
    errors: [...LIMIT_ERRORS],
  })
  @Get('notes/:id/download')
  @RateLimit('export')
  async download(
    @Param('id') id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ) {
    const noteId = pathId(id, 'Note');
    const { format } = parseOrThrow(downloadQuery, query, 'query');
    return this.send(format === 'pdf' ? 'note_pdf' : 'note_md', { noteId }, user, request, reply);
  }

  @Api({
    tag: 'exports',
    summary: 'Your notes as an Obsidian vault (zip)',
    description:
      'One folder per subject with a file per note and an index note linking them; every [[link]] resolves to a file in the vault (links to notes outside the export become plain text).',
    query: vaultQuery,
    replies: { 200: { description: 'The vault, as a zip attachment', contentType: 'application/zip', binary: true } },
    errors: ['not_found', ...LIMIT_ERRORS],
  })
  @Get('exports/obsidian')
  @RateLimit('export')
  async obsidian(
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ) {
    const { subject } = parseOrThrow(vaultQuery, query, 'query');
    return this.send('obsidian', { subject }, user, request, reply);
  }

  @Api({
    tag: 'exports',
    summary: 'Flashcards of your notes: an Anki deck (.apkg) or CSV',
    description:
      "Cards for each assessment question (with its model answer), core concept and definition, in a deck per subject and tagged subject::<name>, with the note's tags.",
    query: ankiQuery,
    replies: {
      200: {
        description: 'The deck or CSV, as an attachment',
        contentType: ['application/apkg', 'text/csv'],
        binary: true,
      },
    },
    errors: ['not_found', ...LIMIT_ERRORS],
  })
  @Get('exports/anki')
  @RateLimit('export')
  async anki(
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ) {
    const { subject, format } = parseOrThrow(ankiQuery, query, 'query');
    return this.send(format === 'csv' ? 'anki_csv' : 'anki', { subject }, user, request, reply);
  }

  private async send(
    kind: ExportKind,
    what: { noteId?: string; subject?: string },
    user: AuthenticatedUser,
    request: AuthenticatedRequest,
    reply: FastifyReply,
  ) {
    const context = requestContext(request);
    const prepared = await this.rpc.request(
      RPC.exports.prepare,
      { userId: user.userId, kind, ...what },
      { context, reply: preparedExport, timeoutMs: PREPARE_TIMEOUT_MS },
    );
    return reply
      .status(200)
      .header('content-type', prepared.contentType)
      .header('content-disposition', contentDisposition(prepared.fileName))
      .header('content-length', String(prepared.size))
      .header('cache-control', 'private, no-store')
      .send(Readable.from(this.chunks(prepared, user.userId, context), { highWaterMark: 1 }));
  }

  private async *chunks(prepared: PreparedExport, userId: string, context: ReturnType<typeof requestContext>) {
    const { exportId } = prepared;
    try {
      for (let index = 0; index < prepared.chunkCount; index++) {
        const { data } = await this.rpc.request(
          RPC.exports.chunk,
          { userId, exportId, index },
          { context, reply: exportChunk },
        );
        yield Buffer.from(data, 'base64');
      }
    } finally {
      // sent, failed or abandoned: nobody fetches it again (one left behind is swept after an hour)
      await this.rpc
        .request(RPC.exports.discard, { userId, exportId }, { context })
        .catch((e: unknown) => this.logger.warn(`Export ${exportId} not discarded: ${(e as Error).message}`));
    }
  }
}
