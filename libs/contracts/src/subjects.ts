/** NATS request/reply subjects: `<service>.<verb>`. */
export const RPC = {
  billing: {
    openAccount: 'billing.open_account',
    reserve: 'billing.reserve',
    releaseUnrecorded: 'billing.release_unrecorded',
    balance: 'billing.balance',
    history: 'billing.history',
    packages: 'billing.packages',
    checkout: 'billing.checkout',
    stripeWebhook: 'billing.stripe_webhook',
    grant: 'billing.grant',
    reconcile: 'billing.reconcile',
  },
  gateway: {
    findUser: 'gateway.find_user',
  },
  videos: {
    submit: 'videos.submit',
    get: 'videos.get',
    list: 'videos.list',
    cancel: 'videos.cancel',
    retry: 'videos.retry',
    delete: 'videos.delete',
    history: 'videos.history',
    info: 'videos.info',
    thumbnail: 'videos.thumbnail',
    submitPlaylist: 'videos.submit_playlist',
    getPlaylist: 'videos.get_playlist',
    usage: 'videos.usage',
  },
  notes: {
    get: 'notes.get',
    list: 'notes.list',
    subjects: 'notes.subjects',
    edit: 'notes.edit',
    delete: 'notes.delete',
    versions: 'notes.versions',
    related: 'notes.related',
    graph: 'notes.graph',
  },
  /** Answered by the notes service: a prepared export is fetched in chunks, then discarded. */
  exports: {
    prepare: 'notes.export_prepare',
    chunk: 'notes.export_chunk',
    discard: 'notes.export_discard',
  },
} as const;

export const SERVICES = ['gateway', 'videos', 'processor', 'notes', 'billing'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * Integration events live under `evt.<service>.<EventType>`. A namespace prefix
 * (empty in production) lets tests and parallel stacks share one NATS server.
 */
export function eventSubject(namespace: string, service: ServiceName, eventType: string): string {
  return `${namespace}evt.${service}.${eventType}`;
}

export function eventSubjectsOf(namespace: string, service: ServiceName): string {
  return `${namespace}evt.${service}.>`;
}

/** Live, non-durable progress for one video (fanned out to SSE by the gateway). */
export function progressSubject(namespace: string, videoId: string): string {
  return `${namespace}progress.${videoId}`;
}

/** A video's read-model row changed (see video-changes.ts); `*` for every video. */
export function videoChangedSubject(namespace: string, videoId: string): string {
  return `${namespace}videos.changed.${videoId}`;
}
