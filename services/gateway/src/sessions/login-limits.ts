import { createHash } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppError } from '@study-buddy/contracts';
import { GATEWAY_ENV, GatewayEnv } from '../config';
import { Limit, Throttle } from './throttle';

export const THROTTLE = Symbol('THROTTLE');

type LimitsEnv = Pick<
  GatewayEnv,
  | 'LOGIN_MAX_FAILURES_PER_ACCOUNT'
  | 'LOGIN_MAX_FAILURES_PER_IP'
  | 'LOGIN_THROTTLE_WINDOW_SECONDS'
  | 'REGISTRATIONS_PER_IP'
  | 'REGISTRATION_WINDOW_SECONDS'
>;

/**
 * Password guessing limits. Only failures count, per account and per client
 * address: a user whose password is right is refused only when their own
 * account or their own address has failed too often, never because someone
 * else is guessing at another account. A success clears the account's count.
 */
@Injectable()
export class LoginLimits implements OnModuleInit {
  private readonly account: Limit;
  private readonly ip: Limit;
  private readonly registration: Limit;

  constructor(
    @Inject(THROTTLE) private readonly throttle: Throttle,
    @Inject(GATEWAY_ENV) env: LimitsEnv,
  ) {
    this.account = { max: env.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS };
    this.ip = { max: env.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS };
    this.registration = { max: env.REGISTRATIONS_PER_IP, windowSeconds: env.REGISTRATION_WINDOW_SECONDS };
  }

  async onModuleInit(): Promise<void> {
    await this.throttle.setup();
    await this.throttle.prune(7 * 86_400);
  }

  /** Runs a password check under the limits: 429 before it when over them, a failure counted after. */
  async guard<T>(email: string, ip: string, check: () => Promise<T>): Promise<T> {
    const keys = { account: accountKey(email), ip: `login-ip:${ip}` };
    const [accountWait, ipWait] = await Promise.all([
      this.throttle.retryAfter(keys.account, this.account),
      this.throttle.retryAfter(keys.ip, this.ip),
    ]);
    if (accountWait > 0 || ipWait > 0) throw tooMany(Math.max(accountWait, ipWait), 'login attempts');
    try {
      const result = await check();
      await this.throttle.clear(keys.account);
      return result;
    } catch (e) {
      if (e instanceof AppError && e.code === 'unauthorized')
        await Promise.all([this.throttle.hit(keys.account, this.account), this.throttle.hit(keys.ip, this.ip)]);
      throw e;
    }
  }

  /** Every registration attempt from one address counts. */
  async beforeRegistration(ip: string): Promise<void> {
    const key = `register-ip:${ip}`;
    const wait = await this.throttle.retryAfter(key, this.registration);
    if (wait > 0) throw tooMany(wait, 'registrations from this address');
    await this.throttle.hit(key, this.registration);
  }
}

const accountKey = (email: string) =>
  `login-account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;

const tooMany = (retryAfterSeconds: number, what: string) =>
  new AppError('rate_limited', `Too many ${what}: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
