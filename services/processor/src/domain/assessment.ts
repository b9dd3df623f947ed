import { AssessmentQuestion, StudyNote } from './study-note';

/**
 * The four question kinds of the seeds' assessment, each with a model answer
 * drawn from the note itself, so answers never claim more than the lecture said.
 */
export function buildAssessment(note: StudyNote): AssessmentQuestion[] {
  const [first, second, third] = note.concepts;
  const questions: AssessmentQuestion[] = [];
  if (first) {
    questions.push({
      kind: 'gap-analysis',
      question: `In your own words, what is ${first.term}, and why does it matter in this topic?`,
      modelAnswer: note.definitions.find((d) => d.term === first.term)?.definition ?? first.explanation,
    });
  }
  const applied = second ?? first;
  if (applied) {
    questions.push({
      kind: 'application',
      question: `Describe a concrete situation in which ${applied.term} plays a part. What would you expect to happen, and why?`,
      modelAnswer: note.examples[0] ? `${applied.explanation} ${note.examples[0]}` : applied.explanation,
    });
  }
  if (first && third) {
    const link = note.connections.find((c) => c.includes(first.term) && c.includes(third.term));
    questions.push({
      kind: 'one-up',
      question: `How does ${first.term} relate to ${third.term}? Go one step beyond the lecture: what would change if one of them were absent?`,
      modelAnswer: link ? link.replace(/\*\*/g, '') : `${first.explanation} ${third.explanation}`,
    });
  }
  if (note.concepts.length >= 2) {
    const names = note.concepts.slice(0, 3).map((c) => c.term);
    questions.push({
      kind: 'synthesis',
      question: `Write one paragraph that explains how ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} fit together.`,
      modelAnswer: note.summary,
    });
  }
  return questions;
}
