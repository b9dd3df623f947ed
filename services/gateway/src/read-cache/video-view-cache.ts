/** The gateway's `VideoViewCache` of `GET /videos/{id}` replies (kept correct by VideoChangeListener). */
export const VIDEO_VIEW_CACHE = Symbol('VIDEO_VIEW_CACHE');

/** A read in flight: what it returns may be cached only if nothing about its video changed meanwhile. */
export interface CacheTicket {
  readonly videoId: string;
  readonly userId: string;
  stale: boolean;
}

interface Entry<T> {
  userId: string;
  value: T;
  storedAt: number;
}

export interface VideoViewCacheOptions {
  /** Entries kept (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /** How long an entry answers at most: the bound on staleness should a change notice be lost. */
  maxAgeMs: number;
  now?: () => number;
}

/**
 * Recently read video views, correct by construction:
 * - an entry answers only the user it was read for (the video's owner: only found videos are stored);
 * - a change notice or the caller's own write drops the video's entry and spoils every read of it in
 *   flight, so a reply read before the change can never be stored after the notice evicted;
 * - while the notices cannot arrive (NATS down, not yet subscribed) nothing is stored or answered;
 * - entries live at most `maxAgeMs`, and at most `maxEntries` are kept.
 * Entries are keyed by video id and carry the user id, which a hit must match: the cache key is the pair.
 */
export class VideoViewCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Set<CacheTicket>>();
  private live = false;
  private readonly now: () => number;

  constructor(private readonly options: VideoViewCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.live && this.options.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The user's cached view of the video, if fresh; a hit becomes the most recently used. */
  get(userId: string, videoId: string): T | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(videoId);
    if (!entry || entry.userId !== userId) return undefined;
    if (this.now() - entry.storedAt > this.options.maxAgeMs) {
      this.entries.delete(videoId);
      return undefined;
    }
    this.entries.delete(videoId);
    this.entries.set(videoId, entry);
    return entry.value;
  }

  /** Before asking videos: the ticket records whether a change arrives while the read is in flight. */
  begin(userId: string, videoId: string): CacheTicket {
    const ticket: CacheTicket = { videoId, userId, stale: !this.enabled };
    if (ticket.stale) return ticket;
    const tickets = this.inFlight.get(videoId) ?? new Set<CacheTicket>();
    tickets.add(ticket);
    this.inFlight.set(videoId, tickets);
    return ticket;
  }

  /** The read succeeded: store its view unless the video changed (or the cache was cleared) meanwhile. */
  complete(ticket: CacheTicket, value: T): void {
    this.end(ticket);
    if (ticket.stale || !this.enabled) return;
    this.entries.delete(ticket.videoId);
    this.entries.set(ticket.videoId, { userId: ticket.userId, value, storedAt: this.now() });
    while (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  /** The read failed (a 404 included): nothing is stored. */
  abandon(ticket: CacheTicket): void {
    this.end(ticket);
  }

  /** The video changed (a notice, or the caller's own write). */
  evict(videoId: string): void {
    this.entries.delete(videoId);
    for (const ticket of this.inFlight.get(videoId) ?? []) ticket.stale = true;
  }

  /** Notices may have been missed (or cannot arrive until `resume`): forget everything. */
  suspend(): void {
    this.live = false;
    this.clearAll();
  }

  /** Notices arrive again (subscribed and confirmed by the server): start caching from empty. */
  resume(): void {
    this.clearAll();
    this.live = true;
  }

  private clearAll(): void {
    this.entries.clear();
    for (const tickets of this.inFlight.values()) for (const ticket of tickets) ticket.stale = true;
  }

  private end(ticket: CacheTicket): void {
    const tickets = this.inFlight.get(ticket.videoId);
    if (!tickets) return;
    tickets.delete(ticket);
    if (tickets.size === 0) this.inFlight.delete(ticket.videoId);
  }
}
