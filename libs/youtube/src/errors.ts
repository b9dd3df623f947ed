/**
 * Why YouTube gave no transcript. Terminal kinds are about the video itself
 * (trying again will not help); transient kinds are about this request
 * (another try, another client or another egress IP may succeed).
 */
export const TERMINAL_KINDS = [
  'unavailable',
  'private',
  'removed',
  'unplayable',
  'age_restricted',
  'members_only',
  'live_not_finished',
  'captions_unavailable',
] as const;
export const TRANSIENT_KINDS = [
  'blocked',
  'rate_limited',
  'consent_required',
  'empty_captions',
  'po_token_required',
  'network',
  'timeout',
  'server_error',
  'unexpected_response',
] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];
export type TransientKind = (typeof TRANSIENT_KINDS)[number];
export type YouTubeFailureKind = TerminalKind | TransientKind;

const MESSAGES: Record<YouTubeFailureKind, string> = {
  unavailable: 'This video is unavailable on YouTube (it may have been removed or never existed)',
  private: 'This video is private: only its owner can watch it',
  removed: 'This video has been removed from YouTube',
  unplayable: 'YouTube does not allow this video to be played here',
  age_restricted:
    'This video is age-restricted: YouTube only shows it to signed-in adults, so its captions cannot be read',
  members_only: "This video is for the channel's members only, so its captions cannot be read",
  live_not_finished: 'This is a live stream that has not finished yet: submit it again once it has ended',
  captions_unavailable:
    'This video has no captions in any language (the owner may have disabled them): submit it again with a transcript',
  blocked: 'YouTube refused the request from this server (bot check)',
  rate_limited: 'YouTube is limiting requests from this server (HTTP 429)',
  consent_required: 'YouTube answered with a cookie-consent page instead of the video',
  empty_captions: 'YouTube returned an empty caption track',
  po_token_required: 'YouTube wanted a proof-of-origin token for the captions',
  network: 'YouTube could not be reached',
  timeout: 'YouTube took too long to answer',
  server_error: 'YouTube had a server error',
  unexpected_response: 'YouTube answered in an unexpected way',
};

export class YouTubeError extends Error {
  readonly transient: boolean;
  constructor(
    readonly kind: YouTubeFailureKind,
    /** What YouTube said, for logs; never shown instead of the user message. */
    readonly detail?: string,
    message = MESSAGES[kind],
  ) {
    super(message);
    this.name = 'YouTubeError';
    this.transient = (TRANSIENT_KINDS as readonly string[]).includes(kind);
  }

  static is(e: unknown): e is YouTubeError {
    return e instanceof YouTubeError;
  }
}

export const userMessage = (kind: YouTubeFailureKind) => MESSAGES[kind];
