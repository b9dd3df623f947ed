import { joinLines, transcriptToText, transcriptToTimedText } from './transcript-text';

describe('transcriptToText', () => {
  it('keeps plain text, collapsing whitespace and dropping sound tags', () => {
    expect(transcriptToText('Hello  there.\n[Music]\n>> Today we learn   about cells.\n')).toBe(
      'Hello there. Today we learn about cells.',
    );
  });

  it('reads SubRip', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:03,000\nCells are the unit of life.\n\n2\n00:00:03,500 --> 00:00:05,000\n<i>They divide</i> by mitosis.\n';
    expect(transcriptToText(srt)).toBe('Cells are the unit of life. They divide by mitosis.');
  });

  it('reads WebVTT with header, notes, cue ids, karaoke tags and roll-up repeats', () => {
    const vtt = [
      'WEBVTT',
      'Kind: captions',
      'Language: en',
      '',
      'NOTE recorded live',
      'second line of the note',
      '',
      'intro',
      '00:00:00.000 --> 00:00:02.000 align:start position:0%',
      'energy flows<00:00:01.000><c> through</c>',
      '',
      '00:00:02.000 --> 00:00:04.000',
      'energy flows through',
      'ecosystems &amp; food webs',
      '',
    ].join('\n');
    expect(transcriptToText(vtt)).toBe('energy flows through ecosystems & food webs');
  });

  it('decodes HTML entities', () => {
    expect(transcriptToText('it&#39;s &quot;fine&quot; &lt;really&gt;')).toBe(`it's "fine" <really>`);
  });
});

describe('transcriptToTimedText', () => {
  it('keeps the start of each cue of SubRip, pointing into the running text', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:03,000\nCells are the unit of life.\n\n2\n00:01:03,500 --> 00:01:05,000\n<i>They divide</i> by mitosis.\n\n3\n01:00:00,250 --> 01:00:01,000\n[Music]\n';
    const timed = transcriptToTimedText(srt);
    expect(timed.text).toBe(transcriptToText(srt));
    expect(timed.timeline).toEqual([
      { at: 0, start: 1 },
      { at: timed.text.indexOf('They divide'), start: 63.5 },
    ]);
  });

  it('keeps WebVTT starts through roll-up repeats (short timings without hours too)', () => {
    const vtt =
      'WEBVTT\n\n00:02.000 --> 00:04.000\nenergy flows\n\n00:04.000 --> 00:06.000\nenergy flows\nthrough ecosystems\n';
    expect(transcriptToTimedText(vtt)).toEqual({
      text: 'energy flows through ecosystems',
      timeline: [
        { at: 0, start: 2 },
        { at: 13, start: 4 },
      ],
    });
  });

  it('has no timeline for plain text', () => {
    expect(transcriptToTimedText('Just some words. And more.').timeline).toEqual([]);
  });

  it('joins timed lines (as YouTube captions come) the same way', () => {
    expect(
      joinLines([
        { start: 0.5, text: 'plants make sugar' },
        { start: 2, text: ', using light' },
        { start: 3, text: '[Music]' },
        { start: 4.2, text: 'and water.' },
      ]),
    ).toEqual({
      text: 'plants make sugar, using light and water.',
      timeline: [
        { at: 0, start: 0.5 },
        { at: 17, start: 2 },
        { at: 31, start: 4.2 },
      ],
    });
  });
});
