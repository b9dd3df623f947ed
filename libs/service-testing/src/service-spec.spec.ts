import { AppError, reserveCreditReply } from '@study-buddy/contracts';
import { createRecordingRpc } from './recording-rpc';
import { serviceSpec } from './service-spec';

describe('serviceSpec', () => {
  const append = (spec: ReturnType<typeof serviceSpec>, stream: string, type: string) =>
    spec.store.appendToStream(stream, [{ type, data: { n: 1 } }], { expectedRevision: 'any' });

  it('reports the events the action appended, and only those', async () => {
    const spec = serviceSpec();
    await spec.given([{ stream: 's-1', type: 'Before', data: { n: 0 } }]);
    const outcome = await spec.when(async () => {
      await append(spec, 's-1', 'During');
      return 'done';
    });
    outcome.thenReplies('done').thenAppends([{ stream: 's-1', type: 'During', data: { n: 1 } }]);
  });

  it('fails the spec when the appended events differ from the expected ones', async () => {
    const spec = serviceSpec();
    const outcome = await spec.when(() => append(spec, 's-1', 'Unexpected'));
    expect(() => outcome.thenAppendsNothing()).toThrow();
    expect(() => outcome.thenAppends([{ stream: 's-1', type: 'Other', data: { n: 1 } }])).toThrow();
  });

  it('fails a spec expecting an error when the action stored something before throwing', async () => {
    const spec = serviceSpec();
    const outcome = await spec.when(async () => {
      await append(spec, 's-1', 'Partial');
      throw new AppError('conflict', 'late');
    });
    expect(() => outcome.thenFails({ code: 'conflict' })).toThrow();
  });

  it('matches errors by their fields', async () => {
    const spec = serviceSpec();
    const outcome = await spec.when(async () => {
      throw new AppError('insufficient_credits', 'none left');
    });
    outcome.thenFails({ code: 'insufficient_credits' });
    expect(() => outcome.thenReplies(undefined)).toThrow('none left');
  });
});

describe('createRecordingRpc', () => {
  it('answers registered subjects, records calls and checks replies against the contract', async () => {
    const rpc = createRecordingRpc();
    rpc.respond('billing.reserve', (data) => ({
      videoId: (data as { videoId: string }).videoId,
      balance: 1,
      reserved: 1,
    }));
    const videoId = '0b0f0b8e-4b7a-4b9e-8f4c-2a1d7a9c9e11';
    await expect(rpc.request('billing.reserve', { videoId }, { reply: reserveCreditReply })).resolves.toEqual({
      videoId,
      balance: 1,
      reserved: 1,
    });
    expect(rpc.callsTo('billing.reserve')).toEqual([{ videoId }]);
    rpc.respond('billing.reserve', () => ({ wrong: true }));
    await expect(rpc.request('billing.reserve', {}, { reply: reserveCreditReply })).rejects.toMatchObject({
      code: 'internal',
    });
  });

  it('fails like NATS with no responder for a subject nobody answers', async () => {
    await expect(createRecordingRpc().request('notes.get', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});
