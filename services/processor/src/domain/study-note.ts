import { TimelineEntry } from './transcript-text';

/** What a note writer produces, before it is rendered to Markdown. */

export type QuestionKind = 'gap-analysis' | 'application' | 'one-up' | 'synthesis';

export interface AssessmentQuestion {
  kind: QuestionKind;
  question: string;
  modelAnswer: string;
}

export interface StudyNote {
  title: string;
  subject: string;
  tags: string[];
  summary: string;
  concepts: { term: string; explanation: string }[];
  keyPoints: string[];
  examples: string[];
  definitions: { term: string; definition: string }[];
  connections: string[];
  assessment: AssessmentQuestion[];
  language: string;
  wordCount: number;
  /** What writing it cost, one entry per model call; absent for the offline writer. */
  usage?: ModelCall[];
}

/** One model call's token counts, recorded on the job and priced for the user. */
export interface ModelCall {
  purpose: 'note' | 'note-repair' | 'assessment' | 'assessment-repair';
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface NoteRequest {
  transcript: string;
  /** Where timed cues begin in `transcript`, so a writer can cite the moment a point is made; empty without timings. */
  timeline?: TimelineEntry[];
  videoUrl: string;
  youtubeVideoId: string;
  title?: string;
  subject?: string;
  language?: string;
  includeAssessment: boolean;
}

/** The port: Claude in production, the offline extractive writer without an API key. */
export interface NoteWriter {
  readonly name: string;
  write(request: NoteRequest): Promise<StudyNote>;
  /** The writer's own assessment of a note it wrote; without it the pipeline builds one from the note. */
  assess?(request: NoteRequest, note: StudyNote): Promise<{ questions: AssessmentQuestion[]; usage: ModelCall[] }>;
}

const MODEL_CALLS = Symbol('modelCalls');

/** Carries the calls a failed write had already made (and been billed for), so the job still records them. */
export function withModelCalls<E extends Error>(error: E, calls: ModelCall[]): E {
  if (calls.length > 0 && error instanceof Error)
    Object.defineProperty(error, MODEL_CALLS, { value: [...calls], enumerable: false });
  return error;
}

/** The calls a failure carries; none for any other error. */
export const modelCallsOf = (e: unknown): ModelCall[] =>
  (e instanceof Error && (e as Error & { [MODEL_CALLS]?: ModelCall[] })[MODEL_CALLS]) || [];
