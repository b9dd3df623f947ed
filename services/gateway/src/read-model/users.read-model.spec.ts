import { randomUUID } from 'node:crypto';
import { projectionSpec, ProjectionSpec } from '@study-buddy/service-testing';
import { userStream } from '../domain/user.decider';
import { usersProjection } from './users.projection';
import { UsersQueries } from './users.queries';

/** The users read model on the real PostgreSQL: every handled event in, profiles out through the queries. */
describe('users projection', () => {
  let read: ProjectionSpec;
  beforeEach(async () => (read = await projectionSpec(usersProjection)));
  afterEach(() => read.close());

  it('keeps the profile and the preferences, each changed field only, null clearing one', async () => {
    const userId = randomUUID();
    const stream = userStream(userId);
    const at = '2026-12-01T10:00:00.000Z';
    await read.given([
      {
        stream,
        type: 'UserRegistered',
        data: { userId, email: 'ada@example.com', name: null, passwordHash: 'h', registeredAt: at },
      },
      {
        stream,
        type: 'UserProfileUpdated',
        data: { userId, name: 'Ada', defaultSubject: 'Biology', noteLanguage: 'de', assessment: false, updatedAt: at },
      },
      { stream, type: 'UserProfileUpdated', data: { userId, noteLanguage: null, updatedAt: at } },
      // not profile data: the projection skips them
      { stream, type: 'UserSessionsRevoked', data: { userId, epoch: 1, revokedAt: at } },
    ]);
    await read.catchUp();

    await expect(new UsersQueries(read.pool, read.schema).profile(userId)).resolves.toEqual({
      userId,
      email: 'ada@example.com',
      name: 'Ada',
      defaultSubject: 'Biology',
      noteLanguage: null,
      assessment: false,
      createdAt: at,
    });
    await expect(new UsersQueries(read.pool, read.schema).profile(randomUUID())).resolves.toBeNull();
  });
});
