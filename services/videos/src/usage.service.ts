import { Injectable } from '@nestjs/common';
import { UsageReply, UsageRequest } from '@study-buddy/contracts';
import { UsageQueries } from './read-model/usage.queries';

export const USAGE_PROJECTOR = Symbol('USAGE_PROJECTOR');

/** What the caller's videos cost in model calls, by month. */
@Injectable()
export class UsageService {
  constructor(private readonly queries: UsageQueries) {}

  byMonth(request: UsageRequest): Promise<UsageReply> {
    return this.queries.byMonth(request);
  }
}
