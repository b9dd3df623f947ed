import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { Logger } from '@nestjs/common';
import { ProgressStep } from '@study-buddy/contracts';
import { z } from 'zod';
import {
  AssessmentQuestion,
  ModelCall,
  NoteRequest,
  NoteWriter,
  StudyNote,
  withModelCalls,
} from '../../domain/study-note';
import { TransientFailure } from '../../domain/pipeline-error';
import { classifyClaudeError } from './failures';
import { streamedMessage } from './streamed-message';
import { assessmentOutputSchema, noteOutputSchema } from './note-schema';
import { citeTimestamps, transcriptBlock } from './transcript-prompt';

export interface ClaudeNoteWriterOptions {
  client: Anthropic;
  model: string;
  maxOutputTokens: number;
  assessmentQuestions: number;
}

const SYSTEM = [
  'You turn lecture transcripts into study notes for students.',
  'Use only what the lecture says; never invent facts, examples or timestamps.',
  'Each key point and example cites, in `seconds`, the number of the `[<seconds>s]` marker of the transcript line it comes from (null when the transcript has no markers).',
  'Answer with JSON that matches the given schema, nothing else.',
].join(' ');

type Purpose = 'note' | 'assessment';

/**
 * Writes notes with Claude: a note request, then an assessment request that
 * reuses the transcript through prompt caching (the system prompt and the
 * transcript block are the identical, cached prefix of both). The answer is
 * structured output validated by the zod schema it was derived from; an
 * invalid or truncated answer gets one repair request carrying the errors.
 */
export class ClaudeNoteWriter implements NoteWriter {
  readonly name = 'claude';
  private readonly logger = new Logger('ClaudeNoteWriter');

  constructor(private readonly options: ClaudeNoteWriterOptions) {}

  async write(request: NoteRequest): Promise<StudyNote> {
    const language = request.language ? `Write the note in the language with code "${request.language}".` : '';
    const subject = request.subject
      ? `The subject is "${request.subject}".`
      : 'Choose a short, general subject (e.g. "Biology", "Computer Science").';
    const { output, usage } = await this.structured(
      'note',
      'generating_notes',
      request,
      noteOutputSchema,
      [
        'Write a study note of this lecture: a title; a summary; the core concepts (term and a one-line definition);',
        'key points and examples & applications, each citing its moment; definitions; connections between ideas',
        '(leave examples, definitions or connections empty when the lecture has none); a few lower-case tags.',
        language || 'Write the note in the transcript’s language.',
        subject,
      ].join(' '),
    );
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
      subject: request.subject ?? output.subject,
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

  async assess(
    request: NoteRequest,
    note: StudyNote,
  ): Promise<{ questions: AssessmentQuestion[]; usage: ModelCall[] }> {
    const count = this.options.assessmentQuestions;
    const { output, usage } = await this.structured(
      'assessment',
      'generating_assessment',
      request,
      assessmentOutputSchema,
      [
        `Write exactly ${count} questions that test understanding of this lecture, mixing the kinds`,
        'gap-analysis (what a student may have missed), application (use it in a new situation),',
        'one-up (one step beyond the lecture) and synthesis (tie the ideas together).',
        'Each has a model answer grounded in what the lecture says.',
        `Write them in the language with code "${note.language}".`,
        `The note's concepts: ${note.concepts.map((c) => c.term).join(', ')}.`,
      ].join(' '),
    );
    return { questions: output.questions.slice(0, count), usage };
  }

  /** One request, and one repair request when the answer is cut off or does not match the schema. */
  private async structured<S extends z.ZodType>(
    purpose: Purpose,
    step: ProgressStep,
    request: NoteRequest,
    schema: S,
    instructions: string,
  ): Promise<{ output: z.infer<S>; usage: ModelCall[] }> {
    const usage: ModelCall[] = [];
    const transcript = {
      type: 'text' as const,
      text: transcriptBlock(request),
      cache_control: { type: 'ephemeral' as const },
    };
    const ask = async (extra: string[], callPurpose: ModelCall['purpose']) => {
      let response: Anthropic.Message;
      try {
        response = await streamedMessage(this.options.client, {
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
        throw withModelCalls(classifyClaudeError(step, e), usage);
      }
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
          `Your previous answer was not valid: ${checked.problem}`,
          `It began: ${checked.text.slice(0, 4000)}`,
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
}

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
