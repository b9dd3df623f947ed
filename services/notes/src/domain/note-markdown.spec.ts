import { frontMatterFor, GENERATED_MARKER, ownerBody, plainText, splitNote, stripGenerated } from './note-markdown';

describe('note markdown', () => {
  it('splits the processor’s Markdown into front matter and the owner’s body, without the placeholder section', () => {
    const note = '---\ntitle: "P"\nvideo_url: "u"\n---\n# P\n\nText.\n\n## Related notes\n\n_No related notes yet._\n';
    expect(splitNote(note)).toEqual({ frontMatter: ['title: "P"', 'video_url: "u"'], body: '# P\n\nText.\n' });
  });

  it('strips a pasted generated section, by its marker or by a heading that holds only links', () => {
    expect(stripGenerated(`Text.\n\n${GENERATED_MARKER}\n## Related notes\n\n- [[A]]\n`)).toBe('Text.\n');
    expect(stripGenerated('Text.\n\n## Related notes\n\n- [[A]]\n- [[B|b]]\n')).toBe('Text.\n');
    expect(ownerBody('---\ntitle: "x"\n---\nMine.\n')).toBe('Mine.\n');
  });

  it('keeps a Related notes section the owner wrote themselves', () => {
    const mine = 'Text.\n\n## Related notes\n\nAsk the tutor which chapters go with this.\n';
    expect(stripGenerated(mine)).toBe(mine);
  });

  it('sets title, subject and tags in the front matter and keeps the other fields', () => {
    expect(
      frontMatterFor(['title: "Old"', 'video_url: "u"', 'tags: ["a"]'], {
        title: 'New "one"',
        subject: 'Bio',
        tags: ['b'],
      }),
    ).toEqual(['title: "New \\"one\\""', 'video_url: "u"', 'tags: ["b"]', 'subject: "Bio"']);
  });

  it('reduces Markdown to its words for search', () => {
    expect(plainText('# Title\n\n- **Bold** [[Note|alias]] [link](https://x.y) <b>html</b>\n```\ncode\n```')).toBe(
      'Title Bold alias link html',
    );
  });
});
