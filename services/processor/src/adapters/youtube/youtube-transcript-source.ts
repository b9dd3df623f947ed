import { YouTubeClient, YouTubeError } from '@study-buddy/youtube';
import { PipelineError, TransientFailure } from '../../domain/pipeline-error';
import { SourcedTranscript, TranscriptRequest, TranscriptSource } from '../../domain/transcript-source';

/** Captions from YouTube itself, through libs/youtube; its failures become the pipeline's two kinds. */
export class YouTubeTranscriptSource implements TranscriptSource {
  readonly name = 'youtube';

  constructor(private readonly client: YouTubeClient) {}

  async fetch(request: TranscriptRequest): Promise<SourcedTranscript> {
    try {
      const t = await this.client.transcript(request.youtubeVideoId, { language: request.language });
      return {
        lines: t.segments.map((s) => ({ start: s.start, text: s.text })),
        track: {
          language: t.languageCode,
          kind: t.kind,
          translatedFrom: t.translatedFrom,
          trackName: t.trackName,
          client: t.client,
        },
        video: { channel: t.info.channel, durationSeconds: t.info.durationSeconds },
      };
    } catch (e) {
      if (!YouTubeError.is(e)) throw e;
      if (e.transient) throw new TransientFailure('fetching_transcript', e.message, e.kind);
      throw new PipelineError('fetching_transcript', e.message, false);
    }
  }
}
