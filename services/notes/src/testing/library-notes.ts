import { NoteMetadata } from '@study-buddy/contracts';
import { StudyLecture } from '@study-buddy/testing';

/**
 * A study-library lecture as notes receives it from the processor: the note's metadata and the Markdown
 * the processor stores (front matter, sections, the placeholder Related notes section), in the layout of
 * the processor's renderNoteMarkdown (services do not import each other, so the layout is restated here).
 */
export function lectureMetadata(lecture: StudyLecture): NoteMetadata {
  const n = lecture.note;
  return {
    title: n.title,
    subject: n.subject,
    tags: n.tags,
    concepts: n.concepts.map((c) => c.term),
    language: n.language,
    summary: n.summary,
    wordCount: lectureBody(lecture).split(/\s+/).length,
  };
}

export function lectureBody(lecture: StudyLecture): string {
  const n = lecture.note;
  const lines = [`# ${n.title}`, '', '## Summary', '', n.summary, '', '## Core Concepts', ''];
  for (const c of n.concepts) lines.push(`### ${c.term}`, '', c.definition, '');
  lines.push('## Key Points', '', ...n.keyPoints.map((p) => `- ${p.text}`), '');
  if (n.examples.length) lines.push('## Examples & Applications', '', ...n.examples.map((e) => `- ${e.text}`), '');
  if (n.definitions.length)
    lines.push('## Definitions', '', ...n.definitions.map((d) => `- **${d.term}**: ${d.definition}`), '');
  if (n.connections.length) lines.push('## Connections', '', ...n.connections.map((c) => `- ${c}`), '');
  return lines.join('\n');
}

export function lectureMarkdown(lecture: StudyLecture, noteId: string): string {
  const yaml = JSON.stringify;
  return [
    '---',
    `title: ${yaml(lecture.note.title)}`,
    `note_id: ${yaml(noteId)}`,
    `subject: ${yaml(lecture.note.subject)}`,
    `tags: [${lecture.note.tags.map((t) => yaml(t)).join(', ')}]`,
    `concepts: [${lecture.note.concepts.map((c) => yaml(c.term)).join(', ')}]`,
    `language: ${yaml(lecture.note.language)}`,
    '---',
    lectureBody(lecture),
    '## Related notes',
    '',
    '_No related notes yet._',
    '',
  ].join('\n');
}

/** Precision@k of a ranking against the lecture's hand-labelled related ids. */
export function precisionAt(k: number, ranked: string[], truth: string[]): number {
  const top = ranked.slice(0, k);
  return top.filter((id) => truth.includes(id)).length / k;
}
