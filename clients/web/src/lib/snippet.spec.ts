import { snippetParts } from './snippet';

describe('search snippets', () => {
  it('highlights only the server’s <mark> spans and keeps everything else as text', () => {
    expect(snippetParts('the <mark>light</mark> reactions of <mark>photosynthesis</mark>')).toEqual([
      { text: 'the ', marked: false },
      { text: 'light', marked: true },
      { text: ' reactions of ', marked: false },
      { text: 'photosynthesis', marked: true },
    ]);
  });

  it('leaves any other markup as text to be escaped on output', () => {
    const parts = snippetParts('<img src=x onerror=alert(1)> and <mark><b>bold</b></mark>');
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)> and ', marked: false },
      { text: '<b>bold</b>', marked: true },
    ]);
  });

  it('decodes the entities a snippet may carry', () => {
    expect(snippetParts('a &lt;b&gt; &amp; &quot;c&quot;')).toEqual([{ text: 'a <b> & "c"', marked: false }]);
  });
});
