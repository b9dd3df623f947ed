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
  /** `note-part`: one part of a long transcript (map); `note-combine`: the parts into one note (reduce). */
  purpose:
    | 'note'
    | 'note-repair'
    | 'assessment'
    | 'assessment-repair'
    | 'note-part'
    | 'note-part-repair'
    | 'note-combine'
    | 'note-combine-repair';
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
  /** The user's subjects (most-used first) to file the note under when none was named; empty when unknown. */
  existingSubjects?: string[];
  language?: string;
  includeAssessment: boolean;
  /** Where a writer keeps the finished parts of a long transcript for this job, so a rerun does not pay for them again. */
  parts?: PartStore;
  /**
   * Records calls as soon as they are made (the parts of a long transcript), so a crash after them still bills
   * them; calls passed here are not repeated in the note's `usage`.
   */
  recordCalls?: (calls: ModelCall[]) => Promise<void>;
}

/** One job's finished parts, by part number and a hash of what the part was written from. */
export interface PartStore {
  get(index: number, hash: string): Promise<unknown>;
  put(index: number, hash: string, value: unknown): Promise<void>;
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
