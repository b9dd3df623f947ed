import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  editNoteRequest,
  getNoteRequest,
  listNotesRequest,
  noteRequest,
  parseOrThrow,
  relatedNotesRequest,
  RPC,
  subjectsRequest,
} from '@study-buddy/contracts';
import { contextFromHeaders } from '@study-buddy/messaging';
import { rpcPattern, RpcErrorFilter } from '@study-buddy/nest-kit';
import { NotesService } from './notes.service';

/** Request/reply handlers of notes (NATS). */
@Controller()
@UseFilters(RpcErrorFilter)
export class NotesMsController {
  constructor(private readonly notes: NotesService) {}

  @MessagePattern(rpcPattern(RPC.notes.get))
  get(@Payload() payload: unknown) {
    const { userId, noteId, includeContent } = parseOrThrow(getNoteRequest, payload);
    return this.notes.get(userId, noteId, includeContent);
  }

  @MessagePattern(rpcPattern(RPC.notes.list))
  list(@Payload() payload: unknown) {
    return this.notes.list(parseOrThrow(listNotesRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.notes.subjects))
  subjects(@Payload() payload: unknown) {
    return this.notes.subjects(parseOrThrow(subjectsRequest, payload).userId);
  }

  @MessagePattern(rpcPattern(RPC.notes.edit))
  edit(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    return this.notes.edit(parseOrThrow(editNoteRequest, payload), contextFromHeaders(ctx.getHeaders()));
  }

  @MessagePattern(rpcPattern(RPC.notes.delete))
  async delete(@Payload() payload: unknown, @Ctx() ctx: NatsContext) {
    const { userId, noteId } = parseOrThrow(noteRequest, payload);
    await this.notes.delete(userId, noteId, contextFromHeaders(ctx.getHeaders()));
    return { deleted: true };
  }

  @MessagePattern(rpcPattern(RPC.notes.versions))
  versions(@Payload() payload: unknown) {
    const { userId, noteId } = parseOrThrow(noteRequest, payload);
    return this.notes.versions(userId, noteId);
  }

  @MessagePattern(rpcPattern(RPC.notes.related))
  related(@Payload() payload: unknown) {
    const { userId, noteId, limit } = parseOrThrow(relatedNotesRequest, payload);
    return this.notes.related(userId, noteId, limit);
  }

  @MessagePattern(rpcPattern(RPC.notes.graph))
  graph(@Payload() payload: unknown) {
    return this.notes.graph(parseOrThrow(subjectsRequest, payload).userId);
  }
}
