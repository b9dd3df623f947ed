import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, GatewayEvents, openAccountReply, RPC } from '@study-buddy/contracts';
import { EventStore, handleCommand, loadState, Projector } from '@study-buddy/event-store';
import { MessageContext, Rpc } from '@study-buddy/messaging';
import { EVENT_STORE, RPC_CLIENT } from '@study-buddy/nest-kit';
import { UserProfile, UsersQueries } from '../read-model/users.queries';
import { emailClaimDecider, ProfileChanges, userDecider, UserPreferences, userStream } from '../domain/user.decider';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';

export const USERS_PROJECTOR = Symbol('USERS_PROJECTOR');
const emailStream = (email: string) => `user-email-${createHash('sha256').update(email).digest('hex')}`;
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export type { UserProfile };

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC_CLIENT) private readonly rpc: Rpc,
    private readonly users: UsersQueries,
    @Inject(USERS_PROJECTOR) private readonly projector: Projector,
  ) {}

  /**
   * Claims the e-mail (a stream that can be created only once), then records
   * the user. If a previous attempt died between the two, the claim already
   * names a user id with no user: this registration completes it.
   */
  async register(
    input: { email: string; password: string; name?: string },
    context: MessageContext,
  ): Promise<{ userId: string }> {
    const email = normaliseEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    let userId: string = randomUUID();
    const claim = await loadState(this.store, emailStream(email), emailClaimDecider);
    if (claim.state.claimedBy) {
      const owner = await loadState(this.store, userStream(claim.state.claimedBy), userDecider);
      if (owner.state.registered)
        throw new AppError('email_taken', 'An account with this e-mail address already exists');
      userId = claim.state.claimedBy;
    }
    const metadata = { ...context, userId };
    await handleCommand(
      this.store,
      emailStream(email),
      emailClaimDecider,
      { type: 'ClaimEmail', userId, email },
      { metadata, schemas: GatewayEvents },
    );
    await handleCommand(
      this.store,
      userStream(userId),
      userDecider,
      { type: 'RegisterUser', userId, email, name: input.name, passwordHash, now: new Date().toISOString() },
      { metadata, schemas: GatewayEvents },
    );
    // Open the credit account now so the first submission does not race the UserRegistered event;
    // billing also opens it from that event, so a failure here only delays the signup credits.
    await this.rpc
      .request(RPC.billing.openAccount, { userId }, { context: metadata, reply: openAccountReply, timeoutMs: 3000 })
      .catch((e: unknown) =>
        this.logger.warn(`billing.open_account for a new user failed, the event will retry it: ${String(e)}`),
      );
    return { userId };
  }

  async authenticate(emailInput: string, password: string): Promise<{ userId: string; email: string; epoch: number }> {
    const invalid = new AppError('unauthorized', 'Invalid e-mail or password');
    const email = normaliseEmail(emailInput);
    const claim = await loadState(this.store, emailStream(email), emailClaimDecider);
    const user = claim.state.claimedBy
      ? await loadState(this.store, userStream(claim.state.claimedBy), userDecider)
      : null;
    if (!user?.state.registered || !user.state.passwordHash) {
      await burnPasswordCheck(password);
      throw invalid;
    }
    if (!(await verifyPassword(password, user.state.passwordHash))) throw invalid;
    return { userId: user.state.userId!, email, epoch: user.state.sessionEpoch };
  }

  /**
   * Checks the current password, stores the new one and moves the user to a
   * new session epoch, which ends every existing session; the caller starts a
   * fresh one for the client that asked.
   */
  async changePassword(
    userId: string,
    input: { currentPassword: string; newPassword: string },
    context: MessageContext,
  ): Promise<{ userId: string; email: string; epoch: number }> {
    const user = await loadState(this.store, userStream(userId), userDecider);
    if (!user.state.passwordHash || !(await verifyPassword(input.currentPassword, user.state.passwordHash)))
      throw new AppError('unauthorized', 'The current password is not right');
    const passwordHash = await hashPassword(input.newPassword);
    const result = await handleCommand(
      this.store,
      userStream(userId),
      userDecider,
      { type: 'ChangePassword', passwordHash, now: new Date().toISOString() },
      { metadata: { ...context, userId }, schemas: GatewayEvents },
    );
    return { userId, email: result.state.email!, epoch: result.state.sessionEpoch };
  }

  /** PATCH /user: records what changed, then answers once the profile read model shows it. */
  async updateProfile(userId: string, changes: ProfileChanges, context: MessageContext): Promise<UserProfile> {
    const result = await handleCommand(
      this.store,
      userStream(userId),
      userDecider,
      { type: 'UpdateProfile', changes, now: new Date().toISOString() },
      { metadata: { ...context, userId }, schemas: GatewayEvents },
    );
    // Read-your-writes: a GET /user right after the PATCH sees the change.
    await this.projector.waitForPosition(result.position, 2000);
    return this.profile(userId);
  }

  /** What the pipeline uses when a submission does not say (the read model; absent → no defaults). */
  async preferences(userId: string): Promise<UserPreferences> {
    const profile = await this.users.profile(userId);
    return {
      defaultSubject: profile?.defaultSubject ?? null,
      noteLanguage: profile?.noteLanguage ?? null,
      assessment: profile?.assessment ?? null,
    };
  }

  async profile(userId: string): Promise<UserProfile> {
    let profile = await this.users.profile(userId);
    if (!profile) {
      // Read-your-writes: a user registered a moment ago may not be projected yet.
      await this.projector.waitForPosition(await this.store.headPosition(), 2000);
      profile = await this.users.profile(userId);
    }
    if (!profile) throw new AppError('not_found', 'User not found');
    return profile;
  }
}
