import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { getNoteRequest, listNotesRequest, parseOrThrow, RPC } from '@study-buddy/contracts';
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
}
