import { escapeRawHtml, resolveWikiLinks, stripFrontMatter } from './markdown-source';

describe('a note’s Markdown before sanitising', () => {
  it('keeps the bare tags of the folded answers and escapes every other tag', () => {
    expect(escapeRawHtml('<details><summary>Model answer</summary>')).toBe('<details><summary>Model answer</summary>');
    expect(escapeRawHtml('<img src=x onerror="alert(1)">')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(escapeRawHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeRawHtml('<details open ontoggle="alert(1)">')).toBe(
      '&lt;details open ontoggle=&quot;alert(1)&quot;&gt;',
    );
    expect(escapeRawHtml('<summary')).toBe('&lt;summary');
    expect(escapeRawHtml('<!-- study-buddy:related-notes (generated) -->\n')).toBe('\n');
    expect(escapeRawHtml('<!-- <img src=x onerror=alert(1)> -->')).toBe('');
  });

  it('drops the front matter and links [[titles]] it knows', () => {
    expect(stripFrontMatter('---\ntitle: "A"\n---\n# A\n')).toBe('# A\n');
    const known = new Map([['Calvin cycle', 'n2']]);
    expect(resolveWikiLinks('see [[Calvin cycle|the cycle]] and [[Unknown]]', known)).toBe(
      'see [the cycle](/read/n2) and Unknown',
    );
  });
});
