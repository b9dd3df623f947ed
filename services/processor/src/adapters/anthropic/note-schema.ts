import { z } from 'zod';

/**
 * What Claude must answer, as zod: the same schema becomes the request's JSON
 * output format and validates the answer, so the two cannot drift apart.
 */
const cited = z.object({
  text: z.string().min(1).max(1000),
  /** One of the transcript's `[<seconds>s]` markers, or null when the transcript has no timings. */
  seconds: z.number().int().min(0).nullable(),
});
const term = z.object({ term: z.string().min(1).max(120), definition: z.string().min(1).max(600) });

export const noteOutputSchema = z.object({
  title: z.string().min(1).max(200),
  summary: z.string().min(1).max(4000),
  /** As long as a subject the user has (JobCompleted's limit): an existing one can be chosen as written. */
  subject: z.string().min(1).max(100),
  /** BCP-47 code of the language the note is written in. */
  language: z.string().min(2).max(20),
  tags: z.array(z.string().min(1).max(40)).max(12),
  concepts: z.array(term).min(1).max(15),
  keyPoints: z.array(cited).min(1).max(20),
  examples: z.array(cited).max(12),
  definitions: z.array(term).max(20),
  connections: z.array(z.string().min(1).max(600)).max(10),
});
export type NoteOutput = z.infer<typeof noteOutputSchema>;

export const assessmentOutputSchema = z.object({
  questions: z
    .array(
      z.object({
        kind: z.enum(['gap-analysis', 'application', 'one-up', 'synthesis']),
        question: z.string().min(1).max(1000),
        modelAnswer: z.string().min(1).max(3000),
      }),
    )
    .min(1)
    .max(20),
});
export type AssessmentOutput = z.infer<typeof assessmentOutputSchema>;
