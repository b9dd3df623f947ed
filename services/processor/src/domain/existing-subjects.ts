/** The user's subjects as a writer is given them, and how a chosen subject is filed under one of them. */

/** Enough to choose from without crowding the prompt: a long tail of one-note subjects adds little. */
export const MAX_EXISTING_SUBJECTS = 50;
const MAX_SUBJECT_LENGTH = 100;

const tidy = (subject: string) => subject.trim().replace(/\s+/g, ' ');
/** Case and spacing ignored: "computer  science" is the user's "Computer Science". */
const subjectKey = (subject: string) => tidy(subject).toLocaleLowerCase();

/** Most-used first, trimmed, one spelling per subject, at most MAX_EXISTING_SUBJECTS. */
export function existingSubjectsOf(items: { subject: string; noteCount: number }[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { subject } of [...items].sort((a, b) => b.noteCount - a.noteCount)) {
    const trimmed = tidy(subject);
    if (!trimmed || trimmed.length > MAX_SUBJECT_LENGTH || seen.has(subjectKey(trimmed))) continue;
    seen.add(subjectKey(trimmed));
    out.push(trimmed);
    if (out.length === MAX_EXISTING_SUBJECTS) break;
  }
  return out;
}

/** The user's own spelling when the chosen subject is one they have; else the chosen one, trimmed. */
export function fileUnderExisting(chosen: string, existing: readonly string[] = []): string {
  const key = subjectKey(chosen);
  return tidy(existing.find((s) => subjectKey(s) === key) ?? chosen);
}
