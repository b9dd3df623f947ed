import { randomUUID } from 'node:crypto';
import { FastifyReply } from 'fastify';
import { RPC } from '@study-buddy/contracts';
import { createRecordingRpc } from '@study-buddy/service-testing';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { UsersService } from '../auth/users.service';
import { UserPreferences } from '../domain/user.decider';
import { VideosController } from './videos.controller';

describe('POST /videos fills what the submission leaves out from the user’s settings', () => {
  const user = { userId: randomUUID(), email: 'ada@example.com', sessionId: randomUUID() };
  const request = { headers: {} } as AuthenticatedRequest;
  const reply = { status: () => reply } as unknown as FastifyReply;
  const url = 'https://youtu.be/dQw4w9WgXcQ';

  const submitWith = async (preferences: UserPreferences, body: Record<string, unknown>) => {
    const rpc = createRecordingRpc();
    rpc.respond(RPC.videos.submit, () => ({
      videoId: randomUUID(),
      youtubeVideoId: 'dQw4w9WgXcQ',
      status: 'queued',
      created: true,
    }));
    const users = { preferences: async () => preferences } as unknown as UsersService;
    await new VideosController(rpc, users).submit(body, user, request, reply);
    return rpc.callsTo(RPC.videos.submit)[0];
  };

  it('uses the defaults when the submission does not say', async () => {
    expect(
      await submitWith({ defaultSubject: 'Biology', noteLanguage: 'de', assessment: false }, { url }),
    ).toMatchObject({ userId: user.userId, url, subject: 'Biology', language: 'de', assessment: false });
  });

  it('keeps what the submission says over the defaults', async () => {
    expect(
      await submitWith(
        { defaultSubject: 'Biology', noteLanguage: 'de', assessment: false },
        { url, subject: 'Physics', language: 'en', assessment: true },
      ),
    ).toMatchObject({ subject: 'Physics', language: 'en', assessment: true });
  });

  it('sends nothing for settings the user never made', async () => {
    // undefined fields are left out of the JSON that crosses NATS
    expect(await submitWith({ defaultSubject: null, noteLanguage: null, assessment: null }, { url })).toEqual({
      userId: user.userId,
      url,
    });
  });
});
