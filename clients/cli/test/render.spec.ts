/* eslint-disable no-control-regex -- the tests look for terminal escape sequences */
import { renderMarkdown, renderSnippet, stripFrontMatter } from '../src/render-markdown';
import { barLine, displayWidth, fitWidth, plainLine, ProgressView, summaryLine } from '../src/progress';
import { isPlaylistLink } from '../src/links';

const NOTE = `---
title: "Photosynthesis"
note_id: "n-1"
---

# Photosynthesis

> Source: [https://youtu.be/x](https://youtu.be/x)

## Summary

Plants turn **light** into *chemical* energy, see [[Cell respiration|respiration]] and \`ATP\`.

## Key Points

- [00:03](https://youtu.be/x?t=3) Light reactions
- Calvin cycle
  1. fixation
  2. reduction

\`\`\`
6CO2 + 6H2O → C6H12O6 + 6O2
\`\`\`

## Assessment

### 1. Gap analysis

Why do leaves look green?

<details><summary>Model answer</summary>

Chlorophyll reflects green light.

</details>
`;

const ANSI = /\x1b\[/;

describe('a note for the terminal', () => {
  it('in plain text (not a TTY): no escape codes, headings underlined, lists, links with their address, the assessment', () => {
    const text = renderMarkdown(NOTE, false);
    expect(text).not.toMatch(ANSI);
    expect(text).toBe(`Photosynthesis
==============

> Source: https://youtu.be/x

Summary
-------

Plants turn light into chemical energy, see respiration and ATP.

Key Points
----------

- 00:03 (https://youtu.be/x?t=3) Light reactions
- Calvin cycle
  1. fixation
  2. reduction

    6CO2 + 6H2O → C6H12O6 + 6O2

Assessment
----------

1. Gap analysis

Why do leaves look green?

Model answer:
Chlorophyll reflects green light.
`);
  });

  it('on a TTY: headings, bold, italics, code and links styled', () => {
    const text = renderMarkdown(NOTE, true);
    expect(text).toContain('\x1b[1mlight\x1b[22m');
    expect(text).toContain('\x1b[3mchemical\x1b[23m');
    expect(text).toContain('\x1b[33mATP\x1b[39m');
    expect(text).toContain('\x1b[4mrespiration\x1b[24m');
    expect(text).toContain('• ');
    expect(text).not.toContain('note_id');
  });

  it('cannot drive the terminal with escape sequences of its own', () => {
    expect(renderMarkdown('# Evil\x1b]0;title\x07\n\ntext\x1b[2J', true)).not.toMatch(/\x1b\]|\x1b\[2J/);
  });

  it('front matter is left out; search snippets lose their <mark> in plain text', () => {
    expect(stripFrontMatter('---\na: 1\n---\nbody')).toBe('body');
    expect(renderSnippet('the <mark>light</mark> reactions &amp; more', false)).toBe('the light reactions & more');
    expect(renderSnippet('<mark>light</mark>', true)).toBe('\x1b[1m\x1b[33mlight\x1b[39m\x1b[22m');
  });
});

describe('progress', () => {
  const video = {
    videoId: 'v1',
    title: 'Photosynthesis',
    status: 'processing',
    step: 'fetching_transcript',
    progress: 25,
  };

  it('without a TTY: one line per step change, none for the same step twice', () => {
    const lines: string[] = [];
    const view = new ProgressView((t) => lines.push(t), false);
    view.update({ ...video, status: 'queued', step: null, progress: 0 });
    view.update(video);
    view.update(video);
    view.update({ ...video, status: 'completed', step: 'completed', progress: 100, noteId: 'n1' });
    expect(lines).toEqual([
      'v1 Photosynthesis queued\n',
      'v1 Photosynthesis fetching_transcript\n',
      'v1 Photosynthesis completed n1\n',
    ]);
    expect(plainLine({ ...video, status: 'failed', error: 'No captions' })).toBe(
      'v1 Photosynthesis failed: No captions',
    );
  });

  const visible = (line: string) => displayWidth(line.replace(/\x1b\[\d+m/g, ''));

  it('on a TTY: a bar per video in progress and a line counting those done, redrawn in place', () => {
    const writes: string[] = [];
    const view = new ProgressView((t) => writes.push(t), true);
    view.update(video);
    view.update({ ...video, videoId: 'v2', title: 'Second' });
    view.update({ ...video, progress: 60, step: 'generating_notes' });
    expect(writes[0]).not.toMatch(/\x1b\[\d+A/);
    expect(writes[0]).toContain('0 done');
    expect(writes[1]).toMatch(/^\x1b\[2A/);
    expect(writes[2]).toMatch(/^\x1b\[3A/);
    expect(writes[2].split('\n')).toHaveLength(4);
    // a video done leaves the bars: counted on the last line, the line it had cleared
    view.update({ ...video, status: 'completed', progress: 100, noteId: 'n1' });
    expect(view.lines()).toHaveLength(2);
    expect(view.lines()[1]).toBe('1 done');
    expect(writes[3]).toMatch(/^\x1b\[3A/);
    expect(writes[3]).toMatch(/\x1b\[J$/);
    expect(barLine({ ...video, progress: 50 })).toContain('█'.repeat(12) + '░'.repeat(12));
    const failed = { ...video, status: 'failed', error: 'A very long reason '.repeat(10), title: 'T'.repeat(80) };
    expect(summaryLine(failed)).toContain('failed: A very long reason');
    expect(summaryLine({ ...video, status: 'completed', noteId: 'n1' })).toBe('Photosynthesis: study-buddy show n1');
  });

  it('never draws more lines than the terminal has rows, less one', () => {
    const view = new ProgressView(
      () => undefined,
      true,
      () => 80,
      () => 6,
    );
    for (let i = 0; i < 20; i++) view.update({ ...video, videoId: `v${i}`, title: `Video ${i}` });
    view.update({ ...video, videoId: 'v3', status: 'completed', progress: 100 });
    const lines = view.lines();
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe('1 done, 15 more in progress');
  });

  it('never wider than the terminal, whatever it is and whatever the title (CJK and emoji take two columns)', () => {
    expect(displayWidth('光合作用')).toBe(8);
    expect(displayWidth('🌱 plants')).toBe(9);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(fitWidth('光合作用について', 7)).toBe('光合作…');
    const titles = [
      'T'.repeat(80),
      '光合作用について学ぶ光合作用について学ぶ光合作用について学ぶ',
      '🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱🌱',
    ];
    for (const title of titles)
      for (const columns of [10, 20, 30, 39, 40, 50, 60, 80, 120])
        for (const v of [
          { ...video, title },
          { ...video, title, status: 'failed', error: 'A very long reason '.repeat(10) },
          { ...video, title, step: 'generating_assessment' },
        ])
          expect(visible(barLine(v, columns))).toBeLessThanOrEqual(columns - 1);
    expect(barLine({ ...video, title: '光合作用' }, 100)).toMatch(/^光合作用 +\x1b/);
  });
});

describe('playlist links', () => {
  it('are /playlist links or links with list= and no v=', () => {
    expect(isPlaylistLink('https://www.youtube.com/playlist?list=PL123')).toBe(true);
    expect(isPlaylistLink('https://youtube.com/watch?list=PL123')).toBe(true);
    expect(isPlaylistLink('https://www.youtube.com/watch?v=abc&list=PL123')).toBe(false);
    expect(isPlaylistLink('https://youtu.be/abc')).toBe(false);
    expect(isPlaylistLink('not a url')).toBe(false);
  });
});
