import { createHash, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppError, GatewayEvents, RPC } from '@study-buddy/contracts';
import { Projector } from '@study-buddy/event-store';
import { createRecordingRpc, notUsed, serviceSpec } from '@study-buddy/service-testing';
import { gatewayUpcasters } from '../domain/user.upcasters';
import { UsersQueries } from '../read-model/users.queries';
import { hashPassword, verifyPassword } from './passwords';
import { UsersService } from './users.service';

const email = 'ada@example.com';
const password = 'correct horse battery staple';
/** The claim stream is named by the e-mail's hash, so the address is not readable in stream names. */
const emailStream = (address: string) => `user-email-${createHash('sha256').update(address).digest('hex')}`;
const anIsoDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

describe('UsersService', () => {
  let spec: ReturnType<typeof serviceSpec>;
  let rpc: ReturnType<typeof createRecordingRpc>;
  let users: UsersService;

  // The service warns when billing is down; these specs assert the outcome instead.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    spec = serviceSpec({ schemas: GatewayEvents, upcasters: gatewayUpcasters });
    rpc = createRecordingRpc();
    rpc.respond(RPC.billing.openAccount, (data) => ({ userId: (data as { userId: string }).userId, balance: 3 }));
    // Registration and login read the write model only: the users projection is for profiles.
    users = new UsersService(
      spec.store,
      rpc,
      notUsed<UsersQueries>('UsersQueries'),
      notUsed<Projector>('UsersProjector'),
    );
  });

  const givenUser = async (userId: string) =>
    spec.given([
      { stream: emailStream(email), type: 'UserEmailClaimed', data: { userId, email }, metadata: { userId } },
      {
        stream: `user-${userId}`,
        type: 'UserRegistered',
        data: { userId, email, passwordHash: await hashPassword(password), registeredAt: new Date().toISOString() },
        metadata: { userId },
      },
    ]);

  describe('register', () => {
    it('claims the e-mail, records the user with a password hash and opens the credit account', async () => {
      const context = { correlationId: randomUUID() };

      const outcome = await spec.when(() =>
        users.register({ email: '  Ada@Example.COM ', password, name: 'Ada' }, context),
      );

      const userId = outcome.result!.userId;
      outcome.thenReplies({ userId: expect.any(String) }).thenAppends([
        { stream: emailStream(email), type: 'UserEmailClaimed', data: { userId, email } },
        {
          stream: `user-${userId}`,
          type: 'UserRegistered',
          data: {
            userId,
            email,
            name: 'Ada',
            passwordHash: expect.stringMatching(/^scrypt\$/),
            registeredAt: anIsoDate,
          },
        },
      ]);
      const { passwordHash } = outcome.appended[1].data as { passwordHash: string };
      expect(JSON.stringify(outcome.appended)).not.toContain(password);
      expect(await verifyPassword(password, passwordHash)).toBe(true);
      for (const event of outcome.appended) expect(event.metadata).toMatchObject({ ...context, userId });

      expect(rpc.callsTo(RPC.billing.openAccount)).toEqual([{ userId }]);
      expect(rpc.calls[0].context).toMatchObject({ ...context, userId });
    });

    it('still registers the user when billing is down (billing opens the account from the event later)', async () => {
      const down = createRecordingRpc(); // nobody answers billing.open_account
      users = new UsersService(spec.store, down, notUsed('UsersQueries'), notUsed('UsersProjector'));

      const outcome = await spec.when(() => users.register({ email, password }, {}));

      expect(outcome.error).toBeUndefined();
      expect(outcome.appended.map((e) => e.type)).toEqual(['UserEmailClaimed', 'UserRegistered']);
      expect(down.callsTo(RPC.billing.openAccount)).toEqual([{ userId: outcome.result!.userId }]);
    });

    it('still registers the user when billing answers with an error', async () => {
      rpc.respond(RPC.billing.openAccount, () => {
        throw new AppError('internal', 'ledger unavailable');
      });

      const outcome = await spec.when(() => users.register({ email, password }, {}));

      expect(outcome.error).toBeUndefined();
      expect(outcome.appended.map((e) => e.type)).toEqual(['UserEmailClaimed', 'UserRegistered']);
    });

    it('refuses an e-mail that is already registered, in any case, and stores nothing', async () => {
      await givenUser(randomUUID());

      (await spec.when(() => users.register({ email: 'ADA@example.com', password: 'another password' }, {}))).thenFails(
        { code: 'email_taken' },
      );
      expect(rpc.calls).toEqual([]);
    });

    it('completes a registration that died after claiming the e-mail, with the same user id', async () => {
      const userId = randomUUID();
      await spec.given([
        { stream: emailStream(email), type: 'UserEmailClaimed', data: { userId, email }, metadata: { userId } },
      ]);

      const outcome = await spec.when(() => users.register({ email, password }, {}));

      outcome.thenReplies({ userId }).thenAppends([
        {
          stream: `user-${userId}`,
          type: 'UserRegistered',
          data: {
            userId,
            email,
            name: null,
            passwordHash: expect.stringMatching(/^scrypt\$/),
            registeredAt: anIsoDate,
          },
        },
      ]);
      expect(rpc.callsTo(RPC.billing.openAccount)).toEqual([{ userId }]);
    });
  });

  describe('authenticate', () => {
    it('returns the user for the right password, whatever the e-mail’s case', async () => {
      const userId = randomUUID();
      await givenUser(userId);

      (await spec.when(() => users.authenticate(' ADA@example.com', password)))
        .thenReplies({ userId, email, epoch: 0 })
        .thenAppendsNothing();
    });

    it('answers unauthorized for a wrong password', async () => {
      await givenUser(randomUUID());

      (await spec.when(() => users.authenticate(email, 'wrong password'))).thenFails({
        code: 'unauthorized',
        message: 'Invalid e-mail or password',
      });
    });

    it('answers unauthorized, with the same message, for an unknown e-mail', async () => {
      await givenUser(randomUUID());

      (await spec.when(() => users.authenticate('grace@example.com', password))).thenFails({
        code: 'unauthorized',
        message: 'Invalid e-mail or password',
      });
    });

    it('answers unauthorized for an e-mail whose registration never finished', async () => {
      const userId = randomUUID();
      await spec.given([{ stream: emailStream(email), type: 'UserEmailClaimed', data: { userId, email } }]);

      (await spec.when(() => users.authenticate(email, password))).thenFails({ code: 'unauthorized' });
    });
  });

  describe('changePassword', () => {
    it('stores the new hash and moves to the next session epoch, given the current password', async () => {
      const userId = randomUUID();
      await givenUser(userId);

      const outcome = await spec.when(() =>
        users.changePassword(userId, { currentPassword: password, newPassword: 'a brand new password' }, {}),
      );

      outcome.thenReplies({ userId, email, epoch: 1 }).thenAppends([
        {
          stream: `user-${userId}`,
          type: 'UserPasswordChanged',
          data: { userId, passwordHash: expect.stringMatching(/^scrypt\$/), epoch: 1, changedAt: anIsoDate },
        },
      ]);
      const { passwordHash } = outcome.appended[0].data as { passwordHash: string };
      expect(await verifyPassword('a brand new password', passwordHash)).toBe(true);
      (await spec.when(() => users.authenticate(email, 'a brand new password'))).thenReplies({
        userId,
        email,
        epoch: 1,
      });
      (await spec.when(() => users.authenticate(email, password))).thenFails({ code: 'unauthorized' });
    });

    it('refuses a wrong current password and stores nothing', async () => {
      const userId = randomUUID();
      await givenUser(userId);

      (
        await spec.when(() =>
          users.changePassword(userId, { currentPassword: 'nope', newPassword: 'whatever long' }, {}),
        )
      ).thenFails({ code: 'unauthorized', message: 'The current password is not right' });
    });
  });

  describe('updateProfile and preferences', () => {
    it('records what changed and answers with the profile once the read model shows it', async () => {
      const userId = randomUUID();
      await givenUser(userId);
      const waited: bigint[] = [];
      const profile = {
        userId,
        email,
        name: null,
        defaultSubject: 'Biology',
        noteLanguage: 'de',
        assessment: false,
        createdAt: 'x',
      };
      users = new UsersService(
        spec.store,
        rpc,
        { profile: async () => profile } as unknown as UsersQueries,
        { waitForPosition: async (p: bigint) => (waited.push(p), true) } as unknown as Projector,
      );

      const outcome = await spec.when(() =>
        users.updateProfile(userId, { defaultSubject: 'Biology', noteLanguage: 'de', assessment: false }, {}),
      );

      outcome.thenReplies(profile).thenAppends([
        {
          stream: `user-${userId}`,
          type: 'UserProfileUpdated',
          data: { userId, defaultSubject: 'Biology', noteLanguage: 'de', assessment: false, updatedAt: anIsoDate },
        },
      ]);
      expect(waited).toEqual([await spec.store.headPosition()]);
      await expect(users.preferences(userId)).resolves.toEqual({
        defaultSubject: 'Biology',
        noteLanguage: 'de',
        assessment: false,
      });
    });

    it('answers not found for a user that does not exist', async () => {
      (await spec.when(() => users.updateProfile(randomUUID(), { name: 'X' }, {}))).thenFails({ code: 'not_found' });
    });
  });
});
