import { randomUUID } from 'node:crypto';
import { ExportNote } from '../src/exports/export-note';

export interface NoteSpec {
  title: string;
  subject: string;
  tags?: string[];
  concepts?: { term: string; explanation: string }[];
  definitions?: { term: string; definition: string }[];
  questions?: { question: string; answer: string }[];
  related?: string[];
  extraBody?: string;
}

/** A note's Markdown in the processor's layout (front matter, sections, assessment, Related notes). */
export function exportNote(spec: NoteSpec, createdAt = '2026-11-30T10:00:00.000Z'): ExportNote {
  const concepts = spec.concepts ?? [{ term: 'Chlorophyll', explanation: 'The green pigment that absorbs light.' }];
  const definitions = spec.definitions ?? [];
  const questions = spec.questions ?? [];
  const url = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
  const lines = [
    '---',
    `title: ${JSON.stringify(spec.title)}`,
    `subject: ${JSON.stringify(spec.subject)}`,
    '---',
    '',
    `# ${spec.title}`,
    '',
    `> Source: [${url}](${url})`,
    '',
    '## Summary',
    '',
    `A note on **${spec.title}** with _emphasis_ and \`code\`.`,
    '',
    '## Core Concepts',
    '',
    ...concepts.flatMap((c) => [`### ${c.term}`, '', c.explanation, '']),
    '## Key Points',
    '',
    '- First point',
    '- Second point with a [link](https://example.com/page)',
    '',
    ...(definitions.length
      ? ['## Definitions', '', ...definitions.map((d) => `- **${d.term}**: ${d.definition}`), '']
      : []),
    ...(spec.extraBody ? [spec.extraBody, ''] : []),
    ...(questions.length
      ? [
          '## Assessment',
          '',
          ...questions.flatMap((q, i) => [
            `### ${i + 1}. Application`,
            '',
            q.question,
            '',
            '<details><summary>Model answer</summary>',
            '',
            q.answer,
            '',
            '</details>',
            '',
          ]),
        ]
      : []),
    '## Related notes',
    '',
    ...(spec.related?.length ? spec.related.map((r) => `- [[${r}]]`) : ['_No related notes yet._']),
    '',
  ];
  return {
    noteId: randomUUID(),
    videoId: randomUUID(),
    youtubeVideoId: 'dQw4w9WgXcQ',
    videoUrl: url,
    title: spec.title,
    subject: spec.subject,
    tags: spec.tags ?? [spec.subject.toLowerCase()],
    concepts: concepts.map((c) => c.term),
    language: 'en',
    summary: `About ${spec.title}`,
    wordCount: 300,
    createdAt,
    markdown: lines.join('\n'),
  };
}
