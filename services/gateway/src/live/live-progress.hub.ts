import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { JSONCodec, Msg, NatsConnection, Subscription } from 'nats';
import { liveProgressUpdate, LiveProgressUpdate, progressSubject } from '@study-buddy/contracts';
import { contextFromHeaders } from '@study-buddy/messaging';
import { NATS_CONNECTION, PLATFORM_CONFIG, PlatformConfig } from '@study-buddy/nest-kit';
import { GATEWAY_ENV, GatewayEnv } from '../config';

type Listener = (update: LiveProgressUpdate) => void;
const codec = JSONCodec<unknown>();

/**
 * This replica's one subscription to `progress.*`, fanned out to the SSE streams it serves. Every
 * replica subscribes for itself (no queue group): a client's stream may be on any of them. It also
 * counts each user's open streams (per replica) and ends them all when the gateway stops.
 */
@Injectable()
export class LiveProgressHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveProgress');
  private subscription?: Subscription;
  private readonly byVideo = new Map<string, Set<Listener>>();
  private readonly byUser = new Map<string, Set<Listener>>();
  private readonly open = new Map<string, number>();
  private readonly closers = new Set<() => void>();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  onModuleInit(): void {
    this.subscription = this.nc.subscribe(progressSubject(this.config.topology.namespace, '*'), {
      callback: (error, msg) =>
        error ? this.logger.warn(`progress subscription: ${error.message}`) : this.dispatch(msg),
    });
  }

  /** Before the HTTP server closes: open streams would otherwise hold the shutdown until its timeout. */
  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    for (const close of [...this.closers]) close();
  }

  private dispatch(msg: Msg): void {
    let parsed;
    try {
      parsed = liveProgressUpdate.safeParse(codec.decode(msg.data));
    } catch {
      return; // not JSON: nobody on this subject speaks anything else
    }
    if (!parsed.success) return;
    const update = parsed.data;
    const userId = contextFromHeaders(msg.headers).userId?.toLowerCase();
    for (const listener of this.byVideo.get(update.video_id) ?? []) listener(update);
    if (userId) for (const listener of this.byUser.get(userId) ?? []) listener(update);
  }

  watchVideo(videoId: string, listener: Listener): () => void {
    return watch(this.byVideo, videoId, listener);
  }

  watchUser(userId: string, listener: Listener): () => void {
    return watch(this.byUser, userId, listener);
  }

  /**
   * Takes one of the user's stream slots; null when all are taken. `close` ends the stream when the
   * gateway stops; the returned function gives the slot back.
   */
  acquire(userId: string, close: () => void): (() => void) | null {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.env.SSE_MAX_CONNECTIONS_PER_USER) return null;
    this.open.set(userId, count + 1);
    this.closers.add(close);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.closers.delete(close);
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}

function watch(map: Map<string, Set<Listener>>, key: string, listener: Listener): () => void {
  const set = map.get(key) ?? new Set<Listener>();
  set.add(listener);
  map.set(key, set);
  return () => {
    set.delete(listener);
    if (set.size === 0) map.delete(key);
  };
}
