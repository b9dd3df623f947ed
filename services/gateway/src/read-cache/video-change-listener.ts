import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DebugEvents, Events, JSONCodec, Msg, NatsConnection, Subscription } from 'nats';
import { videoChangedSubject, videoChangeNotice } from '@study-buddy/contracts';
import { NATS_CONNECTION, PLATFORM_CONFIG, PlatformConfig } from '@study-buddy/nest-kit';
import { GATEWAY_ENV, GatewayEnv } from '../config';
import { VideoViewCache } from './video-view-cache';

const codec = JSONCodec<unknown>();

/**
 * This replica's cache of `GET /videos/{id}` replies and what keeps it correct: its own subscription to
 * `videos.changed.*` (no queue group: every replica evicts for itself). The cache serves only once the
 * server has confirmed the subscription, and forgets everything when the connection drops, when it comes
 * back (notices in between are lost) and when the subscription reports an error (a slow consumer drops
 * messages).
 */
@Injectable()
export class VideoChangeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('VideoCache');
  private subscription?: Subscription;
  private stopped = false;
  readonly cache: VideoViewCache<unknown>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {
    this.cache = new VideoViewCache({ maxEntries: env.VIDEO_CACHE_MAX_ENTRIES, maxAgeMs: env.VIDEO_CACHE_MAX_AGE_MS });
  }

  async onModuleInit(): Promise<void> {
    if (this.env.VIDEO_CACHE_MAX_ENTRIES === 0) return; // turned off: no subscription, nothing cached
    this.subscription = this.nc.subscribe(videoChangedSubject(this.config.topology.namespace, '*'), {
      callback: (error, msg) => (error ? this.lost(error) : this.notice(msg)),
    });
    void this.followConnection();
    await this.confirmSubscribed();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.cache.suspend();
    this.subscription?.unsubscribe();
  }

  /** A flush is a round trip: once it returns, the server has the subscription and notices arrive. */
  private async confirmSubscribed(): Promise<void> {
    try {
      await this.nc.flush();
      if (!this.stopped && !this.nc.isClosed()) this.cache.resume();
    } catch {
      /* disconnected meanwhile: the reconnect resumes */
    }
  }

  private async followConnection(): Promise<void> {
    try {
      for await (const status of this.nc.status()) {
        if (this.stopped) return;
        if (status.type === Events.Disconnect || status.type === DebugEvents.Reconnecting) this.cache.suspend();
        else if (status.type === Events.Reconnect) {
          this.cache.suspend();
          await this.confirmSubscribed();
        }
      }
    } catch {
      /* the connection closed: the cache stays suspended */
    }
    this.cache.suspend();
  }

  private notice(msg: Msg): void {
    let parsed;
    try {
      parsed = videoChangeNotice.safeParse(codec.decode(msg.data));
    } catch {
      parsed = undefined;
    }
    // the subject names the video even when the body is unreadable: evicting is always safe
    const videoId = parsed?.success ? parsed.data.video_id : msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    this.cache.evict(videoId.toLowerCase());
  }

  private lost(error: Error): void {
    this.logger.warn(`video change notices: ${error.message}; cache cleared`);
    this.cache.resume(); // clears; notices after this one arrive again
  }
}
