import { TimedLine } from './transcript-text';

/** Which caption track a transcript came from. */
export interface CaptionTrackChoice {
  language: string;
  kind: 'manual' | 'asr';
  /** The track's own language when YouTube translated it into `language`. */
  translatedFrom: string | null;
  trackName: string;
  client: string;
}

export interface SourcedTranscript {
  /** In order, each with its start in seconds. */
  lines: (TimedLine & { start: number })[];
  track: CaptionTrackChoice;
  /** What the source says about the video, for the note's front matter. */
  video?: { channel: string | null; durationSeconds: number | null };
}

export interface TranscriptRequest {
  youtubeVideoId: string;
  /** The language the user asked for; the video's own when absent. */
  language?: string;
}

/**
 * The port for reading a video's transcript from where it is published
 * (YouTube in production). Implementations throw PipelineError for failures
 * that will not go away (the video is private, has no captions…) and
 * TransientFailure for those that may (rate limits, blocks, network).
 */
export interface TranscriptSource {
  readonly name: string;
  fetch(request: TranscriptRequest): Promise<SourcedTranscript>;
}
