import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { Logger } from '@nestjs/common';
import { ProgressStep } from '@study-buddy/contracts';
import { claudeRequests, inSpan, SpanKind } from '@study-buddy/observability';
import { z } from 'zod';
import {
  AssessmentQuestion,
  ModelCall,
  modelCallsOf,
  NoteRequest,
  NoteWriter,
  StudyNote,
  withModelCalls,
} from '../../domain/study-note';
import { fileUnderExisting } from '../../domain/existing-subjects';
import { PipelineError, TransientFailure } from '../../domain/pipeline-error';
import { classifyClaudeError } from './failures';
import { assessmentOutputSchema, NoteOutput, noteOutputSchema } from './note-schema';
import { assessmentBlock, partBlock, partHash, partsBlock, transcriptLines } from './part-prompts';
import { streamedMessage } from './streamed-message';
import { estimateTokens } from './token-estimate';
import { splitTranscript, TranscriptChunk } from './transcript-chunks';
import { citeTimestamps, momentsOf, transcriptBlock } from './transcript-prompt';

export interface ClaudeNoteWriterOptions {
  client: Anthropic;
  model: string;
  maxOutputTokens: number;
  assessmentQuestions: number;
  /** Estimated input tokens one request may carry (ANTHROPIC_INPUT_TOKEN_BUDGET); a longer transcript is written in parts. */
  inputTokenBudget?: number;
}

export const DEFAULT_INPUT_TOKEN_BUDGET = 40_000;
/** Room kept in every request for a repair's additions (the errors and the start of the invalid answer). */
const REPAIR_RESERVE_TOKENS = 2000;
/** Room for what the estimate does not see: message framing, the output format's own wrapping. */
const FRAMING_TOKENS = 300;
/** How much of a part the next part repeats, so a point spoken across the boundary is read whole once. */
const OVERLAP_TOKENS = 300;
const REPAIR_EXCERPT_CHARS = 4000;

const SYSTEM = [
  'You turn lecture transcripts into study notes for students.',
  'Use only what the lecture says; never invent facts, examples or timestamps.',
  'Each key point and example cites, in `seconds`, the number of the `[<seconds>s]` marker of the transcript line it comes from (null when the transcript has no markers).',
  'Answer with JSON that matches the given schema, nothing else.',
].join(' ');

type Purpose = 'note' | 'assessment' | 'note-part' | 'note-combine';
/** The first content block of a request: the transcript (or what stands for it), marked for caching when it is read again. */
type Block = { text: string; cache: boolean };

/**
 * Writes notes with Claude: a note request, then an assessment request that
 * reuses the transcript through prompt caching (the system prompt and the
 * transcript block are the identical, cached prefix of both). The answer is
 * structured output validated by the zod schema it was derived from; an
 * invalid or truncated answer gets one repair request carrying the errors.
 *
 * A transcript too long for the input budget is written in parts (map): split
 * on line boundaries with a little overlap, a partial note per part citing only
 * its own moments, each kept in the job's part store as it is finished; then
 * one combine request (reduce) writes the note from the partial notes, and the
 * assessment reads that note plus a sample of the transcript.
 */
export class ClaudeNoteWriter implements NoteWriter {
  readonly name = 'claude';
  private readonly logger = new Logger('ClaudeNoteWriter');

  constructor(private readonly options: ClaudeNoteWriterOptions) {}

  async write(request: NoteRequest): Promise<StudyNote> {
    const instructions = [
      'Write a study note of this lecture: a title; a summary; the core concepts (term and a one-line definition);',
      'key points and examples & applications, each citing its moment; definitions; connections between ideas',
      '(leave examples, definitions or connections empty when the lecture has none); a few lower-case tags.',
      ...this.noteLanguageAndSubject(request, true),
    ].join(' ');
    const block = transcriptBlock(request);
    if (this.requestTokens(block, instructions, noteOutputSchema) > this.budget) return this.writeInParts(request);
    const { output, usage } = await this.structured(
      'note',
      'generating_notes',
      request,
      { text: block, cache: true }, // the assessment reads it again from the cache
      noteOutputSchema,
      instructions,
    );
    return this.toNote(request, output, usage);
  }

  /**
   * `offerExisting`: the requests that choose the note's subject (the single request, a long lecture's combine step)
   * are offered the user's subjects; a part's subject is never used, so its request (and stored result) stays as is.
   */
  private noteLanguageAndSubject(request: NoteRequest, offerExisting = false): string[] {
    const language = request.language ? `Write the note in the language with code "${request.language}".` : '';
    const existing = offerExisting ? (request.existingSubjects ?? []) : [];
    const subject = request.subject
      ? `The subject is "${request.subject}".`
      : existing.length > 0
        ? `The user's existing subjects, most-used first: ${JSON.stringify(existing)}. If the lecture belongs under one of them, use that subject exactly as written; otherwise choose a short, general new subject (e.g. "Biology", "Computer Science").`
        : 'Choose a short, general subject (e.g. "Biology", "Computer Science").';
    return [language || 'Write the note in the transcript’s language.', subject];
  }

  /** The answer as a note, its cited moments checked against the whole transcript. */
  private toNote(request: NoteRequest, output: NoteOutput, usage: ModelCall[]): StudyNote {
    const cite = citeTimestamps(request);
    const cited = [...output.keyPoints, ...output.examples].map(cite);
    const dropped = cited.filter((c) => c.outcome === 'dropped').length;
    const moved = cited.filter((c) => c.outcome === 'moved').length;
    if (dropped || moved)
      this.logger.warn(
        `video ${request.youtubeVideoId}: ${moved} cited timestamp(s) moved to the transcript line containing them, ${dropped} not in the transcript dropped`,
      );
    return {
      title: request.title ?? output.title,
      // the user's spelling of a subject they already have, so the note joins it rather than starting a near-twin
      subject: request.subject ?? fileUnderExisting(output.subject, request.existingSubjects),
      tags: [...new Set(output.tags.map((t) => t.toLowerCase().replace(/\s+/g, '-')))],
      summary: output.summary,
      concepts: output.concepts.map((c) => ({ term: c.term, explanation: c.definition })),
      keyPoints: cited.slice(0, output.keyPoints.length).map((c) => c.text),
      examples: cited.slice(output.keyPoints.length).map((c) => c.text),
      definitions: output.definitions,
      connections: output.connections,
      assessment: [],
      language: request.language ?? output.language,
      wordCount: request.transcript.split(/\s+/).filter(Boolean).length,
      usage,
    };
  }

  /** Map: a partial note per part (stored as each is finished, read back on a rerun); reduce: one note from them. */
  private async writeInParts(request: NoteRequest): Promise<StudyNote> {
    const partInstructions = (index: number, parts: number) =>
      [
        `Write a partial study note of part ${index + 1} of ${parts} of this lecture, covering only this part:`,
        'a title; a summary; its core concepts; key points and examples & applications, each citing a moment of this part;',
        'definitions; connections (leave examples, definitions or connections empty when the part has none); a few tags.',
        ...this.noteLanguageAndSubject(request),
      ].join(' ');
    // What a part's request carries besides its lines, measured for the longest part number and moment.
    const widest: TranscriptChunk = { index: 9999, lines: [{ seconds: 999_999, text: '' }], text: '', tokens: 0 };
    const overhead = this.requestTokens(
      partBlock(request, widest, 9999),
      partInstructions(9999, 9999),
      noteOutputSchema,
    );
    const chunks = splitTranscript(transcriptLines(request), {
      budget: this.budget - overhead,
      overlap: OVERLAP_TOKENS,
    });
    this.logger.log(`video ${request.youtubeVideoId}: the transcript is written in ${chunks.length} parts`);
    const unreported: ModelCall[] = [];
    const spend = async (calls: ModelCall[]) => {
      if (request.recordCalls) await request.recordCalls(calls);
      else unreported.push(...calls);
    };
    const parts: NoteOutput[] = [];
    try {
      for (const chunk of chunks) {
        const hash = partHash(request, this.options.model, chunk, chunks.length);
        const kept = noteOutputSchema.safeParse(await request.parts?.get(chunk.index, hash));
        if (kept.success) {
          parts.push(kept.data);
          continue;
        }
        const { output, usage } = await this.structured(
          'note-part',
          'generating_notes',
          request,
          { text: partBlock(request, chunk, chunks.length), cache: false }, // read once: a cache write costs more
          noteOutputSchema,
          partInstructions(chunk.index, chunks.length),
        );
        const part = ownMomentsOnly(output, chunk);
        await spend(usage);
        // keeping it only saves a rerun's call: a storage hiccup must not fail a part that was written
        await request.parts
          ?.put(chunk.index, hash, part)
          .catch((e: Error) =>
            this.logger.warn(`video ${request.youtubeVideoId}: part ${chunk.index + 1} was not kept: ${e.message}`),
          );
        parts.push(part);
      }
      const combineInstructions = [
        'Combine these partial notes into one coherent study note of the whole lecture: a title; a summary of the whole;',
        'the core concepts; key points and examples & applications from every part, in lecture order, each citing in `seconds`',
        'the [<seconds>s] of the partial-note line it comes from; definitions; connections, especially across parts;',
        'a few tags. The parts overlap slightly: merge repeated points.',
        ...this.noteLanguageAndSubject(request, true),
      ].join(' ');
      const block = partsBlock(
        request,
        parts,
        this.budget - this.requestTokens('', combineInstructions, noteOutputSchema),
      );
      if (block === null)
        throw new PipelineError(
          'generating_notes',
          `The lecture is too long: its ${parts.length} partial notes do not fit one request`,
          false,
        );
      const { output, usage } = await this.structured(
        'note-combine',
        'generating_notes',
        request,
        { text: block, cache: false },
        noteOutputSchema,
        combineInstructions,
      );
      return this.toNote(request, output, [...unreported, ...usage]);
    } catch (e) {
      throw withModelCalls(e as Error, [...unreported, ...modelCallsOf(e)]);
    }
  }

  /** Estimated input tokens of a request with this block and instructions, including room for its repair. */
  private requestTokens(block: string, instructions: string, schema: z.ZodType): number {
    return (
      estimateTokens(SYSTEM) +
      estimateTokens(block) +
      estimateTokens(instructions) +
      estimateTokens(JSON.stringify(zodOutputFormat(schema))) +
      FRAMING_TOKENS +
      REPAIR_RESERVE_TOKENS
    );
  }

  private get budget(): number {
    return this.options.inputTokenBudget ?? DEFAULT_INPUT_TOKEN_BUDGET;
  }

  async assess(
    request: NoteRequest,
    note: StudyNote,
  ): Promise<{ questions: AssessmentQuestion[]; usage: ModelCall[] }> {
    const count = this.options.assessmentQuestions;
    const instructions = [
      `Write exactly ${count} questions that test understanding of this lecture, mixing the kinds`,
      'gap-analysis (what a student may have missed), application (use it in a new situation),',
      'one-up (one step beyond the lecture) and synthesis (tie the ideas together).',
      'Each has a model answer grounded in what the lecture says.',
      `Write them in the language with code "${note.language}".`,
      `The note's concepts: ${note.concepts.map((c) => c.term).join(', ')}.`,
    ].join(' ');
    const whole = transcriptBlock(request);
    // The same cached transcript as the note when it fit one request; for a long lecture, its note and a sample.
    const block: Block =
      this.requestTokens(whole, instructions, assessmentOutputSchema) <= this.budget
        ? { text: whole, cache: true }
        : {
            text: assessmentBlock(
              request,
              note,
              this.budget - this.requestTokens('', instructions, assessmentOutputSchema),
            ),
            cache: false,
          };
    const { output, usage } = await this.structured(
      'assessment',
      'generating_assessment',
      request,
      block,
      assessmentOutputSchema,
      instructions,
    );
    return { questions: output.questions.slice(0, count), usage };
  }

  /** One request, and one repair request when the answer is cut off or does not match the schema. */
  private async structured<S extends z.ZodType>(
    purpose: Purpose,
    step: ProgressStep,
    request: NoteRequest,
    block: Block,
    schema: S,
    instructions: string,
  ): Promise<{ output: z.infer<S>; usage: ModelCall[] }> {
    const usage: ModelCall[] = [];
    const transcript = {
      type: 'text' as const,
      text: block.text,
      ...(block.cache ? { cache_control: { type: 'ephemeral' as const } } : {}),
    };
    const ask = async (extra: string[], callPurpose: ModelCall['purpose']) => {
      let response: Anthropic.Message;
      try {
        response = await this.send(callPurpose, {
          model: this.options.model,
          max_tokens: this.options.maxOutputTokens,
          system: SYSTEM,
          messages: [
            {
              role: 'user',
              content: [
                transcript,
                { type: 'text', text: instructions },
                ...extra.map((text) => ({ type: 'text' as const, text })),
              ],
            },
          ],
          output_config: { format: zodOutputFormat(schema) },
        });
      } catch (e) {
        const failure = classifyClaudeError(step, e);
        claudeRequests.inc({ model: this.options.model, outcome: outcomeOf(failure) });
        throw withModelCalls(failure, usage);
      }
      claudeRequests.inc({ model: this.options.model, outcome: 'ok' });
      usage.push(callUsage(callPurpose, response));
      return response;
    };

    const first = await ask([], purpose);
    const checked = check(schema, first);
    if (checked.ok) return { output: checked.value, usage };
    this.logger.warn(
      `video ${request.youtubeVideoId}: Claude's ${purpose} was invalid (${checked.problem}); asking once to repair it`,
    );
    const repaired = check(
      schema,
      await ask(
        [
          `Your previous answer was not valid: ${checked.problem.slice(0, 1500)}`,
          `It began: ${checked.text.slice(0, REPAIR_EXCERPT_CHARS)}`,
          'Answer again with complete JSON that matches the schema; be more concise if it was cut off.',
        ],
        `${purpose}-repair`,
      ),
    );
    if (repaired.ok) return { output: repaired.value, usage };
    throw withModelCalls(
      new TransientFailure(
        step,
        `Claude's ${purpose} did not match the expected structure, even after a repair request`,
        'invalid_output',
      ),
      usage,
    );
  }

  /** Every call to the Messages API goes out here, streamed (see streamedMessage), in a span with its tokens. */
  private send(
    purpose: ModelCall['purpose'],
    body: Anthropic.MessageCreateParamsNonStreaming,
  ): Promise<Anthropic.Message> {
    return inSpan(
      `claude ${purpose}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.system': 'anthropic',
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': body.model,
        },
      },
      async (span) => {
        const message = await streamedMessage(this.options.client, body);
        span.setAttributes({
          'gen_ai.response.model': message.model,
          'gen_ai.usage.input_tokens': message.usage.input_tokens,
          'gen_ai.usage.output_tokens': message.usage.output_tokens,
          'gen_ai.usage.cache_read_input_tokens': message.usage.cache_read_input_tokens ?? 0,
          'gen_ai.usage.cache_creation_input_tokens': message.usage.cache_creation_input_tokens ?? 0,
        });
        return message;
      },
    );
  }
}

/** A part's answer with its cited moments checked against that part's own lines (a moment elsewhere loses its second). */
function ownMomentsOnly(output: NoteOutput, chunk: TranscriptChunk): NoteOutput {
  const resolve = momentsOf(chunk.lines.flatMap((l) => (l.seconds === null ? [] : [l.seconds])));
  const own = (p: { text: string; seconds: number | null }) => ({ text: p.text, seconds: resolve(p.seconds).seconds });
  return { ...output, keyPoints: output.keyPoints.map(own), examples: output.examples.map(own) };
}

/** A failed call's outcome for the metrics: the transient reason (`rate_limited`…), else refused or error. */
const outcomeOf = (failure: Error): string =>
  failure instanceof TransientFailure ? failure.reason : failure instanceof PipelineError ? 'refused' : 'error';

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string; text: string };

function check<S extends z.ZodType>(schema: S, response: Anthropic.Message): Checked<z.infer<S>> {
  const text = response.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  if (response.stop_reason === 'max_tokens')
    return { ok: false, problem: 'it was cut off at the output-token limit', text };
  if (response.stop_reason === 'refusal') return { ok: false, problem: 'it was a refusal', text };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'it is not JSON', text };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, problem: issues.join('; '), text };
}

function callUsage(purpose: ModelCall['purpose'], response: Anthropic.Message): ModelCall {
  return {
    purpose,
    model: response.model,
    inputTokens: response.usage.input_tokens,
    outputTokens: response.usage.output_tokens,
    cacheReadTokens: response.usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: response.usage.cache_creation_input_tokens ?? 0,
  };
}
