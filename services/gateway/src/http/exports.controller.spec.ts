import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { AppError, RPC } from '@study-buddy/contracts';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { contentDisposition } from './content-disposition';
import { ExportsController } from './exports.controller';

const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
const request = { headers: {} } as AuthenticatedRequest;

function recordingReply() {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    send: (b?: unknown) => ((sent.body = b), reply),
  } as unknown as FastifyReply;
  return { reply, sent };
}

async function read(stream: unknown): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream as Readable) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('ExportsController', () => {
  const exportId = randomUUID();
  const file = Buffer.from('0123456789');
  const withExport = (chunkSize = 4, failAt?: number) => {
    const rpc = createRecordingRpc();
    const chunkCount = Math.ceil(file.length / chunkSize);
    rpc.respond(RPC.exports.prepare, () => ({
      exportId,
      contentType: 'application/pdf',
      fileName: 'Фотосинтез "light".pdf',
      size: file.length,
      chunkCount,
      notes: 1,
    }));
    rpc.respond(RPC.exports.chunk, (data) => {
      const { index } = data as { index: number };
      if (index === failAt) throw new AppError('not_found', 'gone');
      return { data: file.subarray(index * chunkSize, (index + 1) * chunkSize).toString('base64') };
    });
    rpc.respond(RPC.exports.discard, () => ({ removed: chunkCount }));
    return rpc;
  };

  it('streams the prepared export chunk by chunk with its headers, then discards it', async () => {
    const rpc = withExport();
    const noteId = randomUUID();
    const { reply, sent } = recordingReply();
    await new ExportsController(rpc).download(noteId.toUpperCase(), { format: 'pdf' }, user, request, reply);
    expect(rpc.callsTo(RPC.exports.prepare)).toEqual([{ userId: user.userId, kind: 'note_pdf', noteId }]);
    expect(sent.status).toBe(200);
    expect(sent.headers).toEqual({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="light.pdf"; filename*=UTF-8''${encodeURIComponent('Фотосинтез "light".pdf')}`,
      'content-length': '10',
      'cache-control': 'private, no-store',
    });
    // nothing is fetched before the client reads
    expect(rpc.callsTo(RPC.exports.chunk)).toEqual([]);
    expect(await read(sent.body)).toEqual(file);
    expect(rpc.callsTo(RPC.exports.chunk)).toEqual(
      [0, 1, 2].map((index) => ({ userId: user.userId, exportId, index })),
    );
    expect(rpc.callsTo(RPC.exports.discard)).toEqual([{ userId: user.userId, exportId }]);
  });

  it('discards the export when a chunk cannot be fetched or the client goes away', async () => {
    const failing = withExport(4, 1);
    const first = recordingReply();
    await new ExportsController(failing).obsidian({}, user, request, first.reply);
    await expect(read(first.sent.body)).rejects.toThrow('gone');
    expect(failing.callsTo(RPC.exports.discard)).toHaveLength(1);

    const abandoned = withExport(2);
    const second = recordingReply();
    await new ExportsController(abandoned).anki({ format: 'csv', subject: ' Biology ' }, user, request, second.reply);
    expect(abandoned.callsTo(RPC.exports.prepare)).toEqual([
      { userId: user.userId, kind: 'anki_csv', subject: 'Biology' },
    ]);
    const stream = second.sent.body as Readable;
    for await (const _ of stream) break; // the client reads one chunk and disconnects
    await new Promise((r) => setImmediate(r));
    // one chunk read, at most one read ahead: not the rest of the file
    expect(abandoned.callsTo(RPC.exports.chunk).length).toBeLessThanOrEqual(2);
    expect(abandoned.callsTo(RPC.exports.discard)).toHaveLength(1);
  });

  it('refuses a bad format, an unknown parameter or a malformed id before asking the notes service', async () => {
    const rpc = withExport();
    const controller = new ExportsController(rpc);
    const { reply } = recordingReply();
    await expect(controller.download(randomUUID(), { format: 'docx' }, user, request, reply)).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('must be md or pdf'),
    });
    await expect(controller.download('nope', {}, user, request, reply)).rejects.toMatchObject({ code: 'not_found' });
    await expect(controller.anki({ format: 'xlsx' }, user, request, reply)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(controller.obsidian({ subject: '' }, user, request, reply)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(controller.obsidian({ all: 'true' }, user, request, reply)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(rpc.calls).toEqual([]);
  });
});

describe('contentDisposition', () => {
  it.each([
    ['Photosynthesis.md', `attachment; filename="Photosynthesis.md"; filename*=UTF-8''Photosynthesis.md`],
    ['a"b\\c;d%e.md', `attachment; filename="abcde.md"; filename*=UTF-8''a%22b%5Cc%3Bd%25e.md`],
    ['Φως.pdf', `attachment; filename="export.pdf"; filename*=UTF-8''%CE%A6%CF%89%CF%82.pdf`],
    ["it's (1).zip", `attachment; filename="it's (1).zip"; filename*=UTF-8''it%27s%20%281%29.zip`],
  ])('%s', (name, header) => expect(contentDisposition(name)).toBe(header));

  it('never lets a name break out of the header', () => {
    expect(contentDisposition('x\r\nSet-Cookie: a=b.md')).not.toMatch(/[\r\n]/);
  });
});
