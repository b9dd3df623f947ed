import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  AppError,
  BalanceReply,
  BillingEvents,
  HistoryReply,
  ReleaseUnrecordedReply,
  ReserveCreditReply,
} from '@study-buddy/contracts';
import { EventStore, handleCommand, Projector, SnapshotStore } from '@study-buddy/event-store';
import { MessageContext } from '@study-buddy/messaging';
import { EVENT_STORE } from '@study-buddy/nest-kit';
import { BILLING_ENV, BillingEnv } from './config';
import { AccountCommand, accountDecider, accountStream, reservedCount } from './domain/account.decider';
import { AccountsQueries } from './read-model/accounts.queries';
import { ORPHANED_REASON } from './domain/account.upcasters';
import { countCredits } from './credit-metrics';

export const ACCOUNTS_PROJECTOR = Symbol('ACCOUNTS_PROJECTOR');
export const ACCOUNT_SNAPSHOTS = Symbol('ACCOUNT_SNAPSHOTS');

/**
 * The account state's shape, for its snapshots: raise it whenever AccountState or `evolve` changes.
 * A snapshot every SNAPSHOT_EVERY events keeps each command's read short however long the ledger
 * (see bench/ledger.bench.ts); the state itself stays small (account.decider's SETTLED_KEPT).
 */
export const ACCOUNT_STATE_VERSION = 'account-state-v1';
export const SNAPSHOT_EVERY = 100;

/** Application service: runs ledger commands through the decider, answers balance queries from the projection. */
@Injectable()
export class LedgerService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly accounts: AccountsQueries,
    @Inject(BILLING_ENV) private readonly env: BillingEnv,
    @Inject(ACCOUNTS_PROJECTOR) private readonly projector: Projector,
    @Optional() @Inject(ACCOUNT_SNAPSHOTS) private readonly snapshots?: SnapshotStore,
  ) {}

  async execute(command: AccountCommand, context: MessageContext = {}, idempotencyKey?: string) {
    const result = await handleCommand(this.store, accountStream(command.userId), accountDecider, command, {
      metadata: { ...context, userId: command.userId },
      idempotencyKey,
      schemas: BillingEvents,
      snapshots: this.snapshots && {
        store: this.snapshots,
        version: ACCOUNT_STATE_VERSION,
        every: SNAPSHOT_EVERY,
      },
    });
    countCredits(result.newEvents);
    return result;
  }

  async openAccount(userId: string, context: MessageContext, idempotencyKey?: string) {
    const result = await this.execute(
      { type: 'OpenAccount', userId, signupCredits: this.env.SIGNUP_CREDITS, now: now() },
      context,
      idempotencyKey,
    );
    return { userId, balance: result.state.available };
  }

  async reserve(
    userId: string,
    videoId: string,
    context: MessageContext,
    attempt?: number,
  ): Promise<ReserveCreditReply> {
    const result = await this.execute({ type: 'ReserveCredit', userId, videoId, attempt, now: now() }, context);
    return { videoId, balance: result.state.available, reserved: reservedCount(result.state) };
  }

  /** An operator's grant (support, goodwill): the key makes a re-run of the same command a no-op. */
  async grant(userId: string, amount: number, grantId: string, note: string, context: MessageContext = {}) {
    const result = await this.execute(
      { type: 'GrantCredits', userId, amount, grantId, note, now: now() },
      context,
      `grant/${grantId}`,
    );
    return { userId, balance: result.state.available, granted: result.newEvents.length > 0 };
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
    if (!row) return { balance: 0, reserved: 0 };
    return row.debt > 0 ? row : { balance: row.balance, reserved: row.reserved };
  }

  async history(userId: string, cursor: string | undefined, limit: number): Promise<HistoryReply> {
    const page = await this.accounts.history(userId, cursor, limit);
    if (!page) throw new AppError('validation_failed', 'Invalid cursor: pass the next_cursor of a previous page');
    return page;
  }
}

const now = () => new Date().toISOString();
