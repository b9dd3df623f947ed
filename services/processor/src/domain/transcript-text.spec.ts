import { transcriptToText } from './transcript-text';

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
