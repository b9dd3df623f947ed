import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  discardExportRequest,
  exportChunkRequest,
  parseOrThrow,
  prepareExportRequest,
  RPC,
} from '@study-buddy/contracts';
import { rpcPattern, RpcErrorFilter } from '@study-buddy/nest-kit';
import { ExportsService } from './exports.service';

/** Exports over NATS: prepare (build and store in chunks), fetch one chunk, discard. */
@Controller()
@UseFilters(RpcErrorFilter)
export class ExportsMsController {
  constructor(private readonly exports: ExportsService) {}

  @MessagePattern(rpcPattern(RPC.exports.prepare))
  prepare(@Payload() payload: unknown) {
    return this.exports.prepare(parseOrThrow(prepareExportRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.exports.chunk))
  chunk(@Payload() payload: unknown) {
    return this.exports.chunk(parseOrThrow(exportChunkRequest, payload));
  }

  @MessagePattern(rpcPattern(RPC.exports.discard))
  discard(@Payload() payload: unknown) {
    return this.exports.discard(parseOrThrow(discardExportRequest, payload));
  }
}
