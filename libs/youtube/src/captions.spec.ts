import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptionTrack } from './captions';

describe('parseCaptionTrack', () => {
  it('reads the recorded timedtext XML: entities decoded, inline markup and empty cues dropped', () => {
    const xml = readFileSync(join(__dirname, '../../testing/fixtures/youtube/transcript.xml'), 'utf8');
    expect(parseCaptionTrack(xml)).toEqual([
      { start: 0, duration: 1.54, text: 'Hey, this is just a test' },
      { start: 1.54, duration: 4.16, text: 'this is not the original transcript' },
      { start: 5.7, duration: 3.239, text: 'just something shorter, I made up for testing' },
    ]);
  });

  it('reads srv3 (milliseconds, <s> word spans)', () => {
    const srv3 =
      '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>' +
      '<p t="1200" d="2500"><s>hello</s><s t="400"> world</s></p><p t="4000" d="1000">it&#39;s &amp; done</p></body></timedtext>';
    expect(parseCaptionTrack(srv3)).toEqual([
      { start: 1.2, duration: 2.5, text: 'hello world' },
      { start: 4, duration: 1, text: "it's & done" },
    ]);
  });

  it('reads json3', () => {
    const body = JSON.stringify({
      events: [
        { tStartMs: 0, dDurationMs: 1000 },
        { tStartMs: 1500, dDurationMs: 2000, segs: [{ utf8: 'first' }, { utf8: ' line' }] },
      ],
    });
    expect(parseCaptionTrack(body)).toEqual([{ start: 1.5, duration: 2, text: 'first line' }]);
  });

  it.each([[''], ['   '], ['<?xml version="1.0"?><transcript></transcript>']])(
    'an empty body (what exp=xpe URLs answer) is a transient failure: %j',
    (body) => {
      expect(() => parseCaptionTrack(body)).toThrow(
        expect.objectContaining({ kind: 'empty_captions', transient: true }),
      );
    },
  );

  it('an HTML page instead of captions is unexpected', () => {
    expect(() => parseCaptionTrack('<html><body>sorry</body></html>')).toThrow(
      expect.objectContaining({ kind: 'unexpected_response' }),
    );
  });
});
