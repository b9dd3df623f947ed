import { StudyNote } from './study-note';

export interface NoteSource {
  noteId: string;
  videoUrl: string;
  youtubeVideoId: string;
  createdAt: string;
  channel?: string;
  durationSeconds?: number;
}

const QUESTION_HEADINGS: Record<string, string> = {
  'gap-analysis': 'Gap analysis',
  application: 'Application',
  'one-up': 'One step further',
  synthesis: 'Synthesis',
};

/** JSON strings are valid YAML double-quoted scalars: safe for any title or tag. */
const yaml = (value: string) => JSON.stringify(value);
const yamlList = (values: string[]) => `[${values.map(yaml).join(', ')}]`;

/**
 * Obsidian-ready Markdown: YAML front matter, then the sections (optional ones
 * only when there is content), the assessment, and a Related notes section
 * that the notes service fills with [[wiki-links]].
 */
export function renderNoteMarkdown(note: StudyNote, source: NoteSource): string {
  const front = [
    '---',
    `title: ${yaml(note.title)}`,
    `note_id: ${yaml(source.noteId)}`,
    `video_url: ${yaml(source.videoUrl)}`,
    `video_id: ${yaml(source.youtubeVideoId)}`,
    ...(source.channel ? [`channel: ${yaml(source.channel)}`] : []),
    ...(source.durationSeconds !== undefined ? [`duration_seconds: ${source.durationSeconds}`] : []),
    `subject: ${yaml(note.subject)}`,
    `tags: ${yamlList(note.tags)}`,
    `concepts: ${yamlList(note.concepts.map((c) => c.term))}`,
    `created: ${yaml(source.createdAt)}`,
    `language: ${yaml(note.language)}`,
    '---',
  ];
  const body: string[] = [
    `# ${note.title}`,
    '',
    `> Source: [${source.videoUrl}](${source.videoUrl})`,
    '',
    '## Summary',
    '',
    note.summary,
    '',
  ];
  if (note.concepts.length > 0) {
    body.push('## Core Concepts', '');
    for (const c of note.concepts) body.push(`### ${c.term}`, '', c.explanation, '');
  }
  if (note.keyPoints.length > 0) body.push('## Key Points', '', ...note.keyPoints.map((p) => `- ${p}`), '');
  if (note.examples.length > 0) body.push('## Examples & Applications', '', ...note.examples.map((e) => `- ${e}`), '');
  if (note.definitions.length > 0)
    body.push('## Definitions', '', ...note.definitions.map((d) => `- **${d.term}**: ${d.definition}`), '');
  if (note.connections.length > 0) body.push('## Connections', '', ...note.connections.map((c) => `- ${c}`), '');
  if (note.assessment.length > 0) {
    body.push('## Assessment', '');
    note.assessment.forEach((q, i) => {
      body.push(
        `### ${i + 1}. ${QUESTION_HEADINGS[q.kind]}`,
        '',
        q.question,
        '',
        '<details><summary>Model answer</summary>',
        '',
        q.modelAnswer,
        '',
        '</details>',
        '',
      );
    });
  }
  body.push('## Related notes', '', '_No related notes yet._', '');
  return `${front.join('\n')}\n\n${body.join('\n')}`;
}
