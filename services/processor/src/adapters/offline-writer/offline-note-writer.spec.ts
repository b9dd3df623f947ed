import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@study-buddy/contracts';
import { renderNoteMarkdown } from '../../domain/note-markdown';
import { cuesOf, LECTURE_SENTENCES } from '@study-buddy/testing';
import { joinLines } from '../../domain/transcript-text';
import { clock, OfflineNoteWriter } from './offline-note-writer';

const lecture = readFileSync(path.join(__dirname, '../../../test/fixtures/photosynthesis-lecture.txt'), 'utf8');
const request = {
  transcript: lecture,
  videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  youtubeVideoId: 'dQw4w9WgXcQ',
  includeAssessment: true,
};

describe('OfflineNoteWriter', () => {
  const writer = new OfflineNoteWriter();

  it('finds the lecture topic as concepts and files it under the right subject', async () => {
    const note = await writer.write(request);
    const terms = note.concepts.map((c) => c.term.toLowerCase());
    expect(terms).toEqual(expect.arrayContaining(['photosynthesis', 'calvin cycle']));
    expect(terms.some((t) => t.includes('rubisco'))).toBe(true);
    expect(note.subject).toBe('Biology');
    expect(note.title.toLowerCase()).toContain('photosynthesis');
    expect(note.tags).toContain('biology');
  });

  it('writes a summary and key points from the transcript’s own sentences', async () => {
    const note = await writer.write(request);
    expect(note.summary.length).toBeGreaterThan(100);
    for (const sentence of note.summary.split(/(?<=\.)\s+/)) expect(lecture).toContain(sentence.replace(/\.$/, ''));
    expect(note.keyPoints.length).toBeGreaterThanOrEqual(3);
    expect(new Set([note.summary, ...note.keyPoints]).size).toBe(note.keyPoints.length + 1);
    expect(note.concepts.every((c) => c.explanation.length > 0)).toBe(true);
  });

  it('collects definitions and examples where the speaker gives them', async () => {
    const note = await writer.write(request);
    expect(note.definitions.some((d) => /photosynthesis is defined as/i.test(d.definition))).toBe(true);
    expect(note.examples.some((e) => /for example|for instance/i.test(e))).toBe(true);
  });

  it('adds the four kinds of assessment question, each with a model answer', async () => {
    const note = await writer.write(request);
    expect(note.assessment.map((q) => q.kind)).toEqual(['gap-analysis', 'application', 'one-up', 'synthesis']);
    expect(note.assessment.every((q) => q.question.endsWith('?') || q.question.endsWith('.'))).toBe(true);
    expect(note.assessment.every((q) => q.modelAnswer.length > 20)).toBe(true);
  });

  it('leaves the assessment out when asked', async () => {
    expect((await writer.write({ ...request, includeAssessment: false })).assessment).toEqual([]);
  });

  it('keeps a subject the user chose', async () => {
    expect((await writer.write({ ...request, subject: 'Plant Science' })).subject).toBe('Plant Science');
  });

  it('files the note under the user’s own spelling of the subject it infers', async () => {
    const note = await writer.write({ ...request, existingSubjects: ['History', 'biology '] });
    expect(note.subject).toBe('biology');
  });

  it('prefers an existing subject whose words the lecture uses when it can only infer a generic one', async () => {
    const baking = [
      'Today we talk about sourdough baking at home.',
      'A sourdough starter is flour and water left to ferment for several days.',
      'Baking with a lively starter gives the loaf an open crumb and a tangy flavour.',
      'Knead the dough gently, then let it rest overnight in a cool kitchen.',
      'Good baking needs patience: the dough rises slowly and the crust forms in a hot oven.',
      'Score the loaf before baking so the steam escapes evenly.',
    ].join(' ');
    const bread = { ...request, transcript: baking, includeAssessment: false };
    expect((await writer.write(bread)).subject).toBe('General');
    expect((await writer.write({ ...bread, existingSubjects: ['Gardening', 'Home Baking', 'Cooking'] })).subject).toBe(
      'Home Baking',
    );
    // no existing subject whose words all occur: the generic one stays
    expect((await writer.write({ ...bread, existingSubjects: ['Gardening', 'Cake Baking'] })).subject).toBe('General');
  });

  it('copes with unpunctuated auto-captions', async () => {
    const captions = lecture.replace(/[.,!?]/g, '').toLowerCase();
    const note = await writer.write({ ...request, transcript: captions });
    expect(note.keyPoints.length).toBeGreaterThanOrEqual(3);
    expect(note.keyPoints.every((p) => /^[A-Z]/.test(p) && p.endsWith('.'))).toBe(true);
    expect(note.concepts.map((c) => c.term.toLowerCase())).toContain('photosynthesis');
  });

  it('refuses a transcript too short to learn from', async () => {
    await expect(writer.write({ ...request, transcript: 'Hello and welcome.' })).rejects.toBeInstanceOf(AppError);
  });

  it('renders Obsidian Markdown with safe YAML front matter and every section', async () => {
    const note = await writer.write({ ...request, title: 'Photo: "synthesis" — part 1' });
    const md = renderNoteMarkdown(note, {
      noteId: 'n-1',
      videoUrl: request.videoUrl,
      youtubeVideoId: request.youtubeVideoId,
      createdAt: '2026-11-30T10:00:00.000Z',
    });
    expect(md.startsWith('---\ntitle: "Photo: \\"synthesis\\" — part 1"\n')).toBe(true);
    for (const heading of [
      '## Summary',
      '## Core Concepts',
      '## Key Points',
      '## Examples & Applications',
      '## Definitions',
      '## Assessment',
      '## Related notes',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toMatch(/^subject: "Biology"$/m);
    expect(md).toMatch(/^video_id: "dQw4w9WgXcQ"$/m);
  });

  describe('with a timed transcript', () => {
    const cues = cuesOf(LECTURE_SENTENCES);
    const timed = joinLines(cues.map(([start, , text]) => ({ start, text })));
    const link = /^(.*) \[(\d\d):(\d\d)\]\(https:\/\/youtu\.be\/dQw4w9WgXcQ\?t=(\d+)\)$/;

    it('puts a link to the moment it is said after each key point and example', async () => {
      const note = await writer.write({ ...request, transcript: timed.text, timeline: timed.timeline });
      const cited = [...note.keyPoints, ...note.examples];
      expect(note.examples.length).toBeGreaterThan(0);
      for (const line of cited) {
        const [, sentence, mm, ss, t] = link.exec(line) ?? [];
        expect(sentence).toBeDefined();
        const cue = cues.find(([, , text]) => text === sentence);
        expect(cue).toBeDefined();
        expect(Number(t)).toBe(Math.floor(cue![0]));
        expect(Number(mm) * 60 + Number(ss)).toBe(Number(t));
      }
      // the rendered note carries them as Markdown links
      const md = renderNoteMarkdown(note, {
        noteId: 'n',
        videoUrl: request.videoUrl,
        youtubeVideoId: request.youtubeVideoId,
        createdAt: new Date().toISOString(),
      });
      expect(md).toMatch(/^- .+ \[\d\d:\d\d\]\(https:\/\/youtu\.be\/dQw4w9WgXcQ\?t=\d+\)$/m);
    });

    it('cites nothing when the transcript has no timings', async () => {
      const note = await writer.write({ ...request, transcript: timed.text });
      expect([...note.keyPoints, ...note.examples].some((l) => l.includes('youtu.be'))).toBe(false);
    });

    it.each([
      [0, '00:00'],
      [75, '01:15'],
      [3599, '59:59'],
      [3725, '1:02:05'],
    ])('writes %i seconds as %s', (seconds, text) => {
      expect(clock(seconds)).toBe(text);
    });
  });
});
