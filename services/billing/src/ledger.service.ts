import { Inject, Injectable } from '@nestjs/common';
import { BalanceReply, BillingEvents, ReleaseUnrecordedReply, ReserveCreditReply } from '@study-buddy/contracts';
import { EventStore, handleCommand, Projector } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { EVENT_STORE } from '@study-buddy/nest-kit';
import { BILLING_ENV, BillingEnv } from './config';
import { AccountCommand, accountDecider, accountStream, reservedCount } from './domain/account.decider';
import { AccountsQueries } from './read-model/accounts.queries';
import { ORPHANED_REASON } from './domain/account.upcasters';

export const ACCOUNTS_PROJECTOR = Symbol('ACCOUNTS_PROJECTOR');

/** Application service: runs ledger commands through the decider, answers balance queries from the projection. */
@Injectable()
export class LedgerService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly accounts: AccountsQueries,
    @Inject(BILLING_ENV) private readonly env: BillingEnv,
    @Inject(ACCOUNTS_PROJECTOR) private readonly projector: Projector,
  ) {}

  async execute(command: AccountCommand, context: MessageContext = {}, idempotencyKey?: string) {
    return handleCommand(this.store, accountStream(command.userId), accountDecider, command, {
      metadata: { ...context, userId: command.userId },
      idempotencyKey,
      schemas: BillingEvents,
    });
  }

  async openAccount(userId: string, context: MessageContext, idempotencyKey?: string) {
    const result = await this.execute(
      { type: 'OpenAccount', userId, signupCredits: this.env.SIGNUP_CREDITS, now: now() },
      context,
      idempotencyKey,
    );
    return { userId, balance: result.state.available };
  }

  async reserve(userId: string, videoId: string, context: MessageContext): Promise<ReserveCreditReply> {
    const result = await this.execute({ type: 'ReserveCredit', userId, videoId, now: now() }, context);
    return { videoId, balance: result.state.available, reserved: reservedCount(result.state) };
  }

  /**
   * Videos could not record the video this credit was held for. Released as orphaned, exactly as
   * the sweeper would later: should the video turn up after all, its confirmation charges it again.
   */
  async releaseUnrecorded(userId: string, videoId: string, context: MessageContext): Promise<ReleaseUnrecordedReply> {
    const result = await this.execute(
      { type: 'ReleaseCredit', userId, videoId, cause: 'orphaned', reason: ORPHANED_REASON, now: now() },
      context,
    );
    return { videoId, released: result.newEvents.length > 0 };
  }

  async balance(userId: string): Promise<BalanceReply> {
    let row = await this.accounts.balance(userId);
    if (!row) {
      // Read-your-writes: an account opened a moment ago may not be projected yet.
      await this.projector.waitForPosition(await this.store.headPosition(), 2000);
      row = await this.accounts.balance(userId);
    }
    return row ?? { balance: 0, reserved: 0 };
  }
}

const now = () => new Date().toISOString();
