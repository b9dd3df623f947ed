/**
 * A note's Markdown in three parts: YAML front matter (metadata, regenerated from the note's current
 * title/subject/tags), the owner's body, and the generated Related notes section. Only the body is the
 * owner's: the other two are rebuilt on every render, so an edit can never lose or freeze them. Pure.
 */

/** Marks the start of the generated section, so it is found again even if the owner renamed its heading. */
export const GENERATED_MARKER = '<!-- study-buddy:related-notes (generated; edits here are replaced) -->';
const RELATED_HEADING = /^##\s+Related notes\s*$/im;

export interface SplitNote {
  /** Front matter lines between the `---` fences (empty when there was none). */
  frontMatter: string[];
  body: string;
}

export function splitNote(markdown: string): SplitNote {
  const text = markdown.replace(/\r\n?/g, '\n');
  const fenced = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  const frontMatter = fenced ? fenced[1].split('\n') : [];
  const rest = fenced ? text.slice(fenced[0].length) : text;
  return { frontMatter, body: stripGenerated(rest) };
}

/**
 * The body without a generated section: from the marker on, or a trailing "## Related notes" section
 * that holds only links or the placeholder (a pasted copy of what we render). A section the owner
 * wrote under that heading with their own prose is kept.
 */
export function stripGenerated(body: string): string {
  let text = body.replace(/\r\n?/g, '\n');
  const marker = text.indexOf(GENERATED_MARKER);
  if (marker >= 0) text = text.slice(0, marker);
  const heading = RELATED_HEADING.exec(text);
  if (heading) {
    const section = text.slice(heading.index + heading[0].length);
    const generatedLines = section
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const onlyGenerated = generatedLines.every(
      (l) => /^[-*]\s+\[\[[^\]]+\]\]/.test(l) || /^_No related notes yet\._$/.test(l) || l === GENERATED_MARKER,
    );
    // only the last section of the note can be ours
    if (onlyGenerated && !/^#{1,2}\s/m.test(section)) text = text.slice(0, heading.index);
  }
  return text.replace(/\s+$/, '') + '\n';
}

/** The body an owner sends on PATCH: a pasted front matter and generated section are not theirs to keep. */
export function ownerBody(sent: string): string {
  return splitNote(sent).body;
}

const yaml = (value: string) => JSON.stringify(value);

/** The stored front matter with title, subject and tags set to the note's current values (others kept). */
export function frontMatterFor(original: string[], meta: { title: string; subject: string; tags: string[] }): string[] {
  const replaced: Record<string, string> = {
    title: `title: ${yaml(meta.title)}`,
    subject: `subject: ${yaml(meta.subject)}`,
    tags: `tags: [${meta.tags.map(yaml).join(', ')}]`,
  };
  const seen = new Set<string>();
  const lines = original.map((line) => {
    const key = /^([A-Za-z_]+):/.exec(line)?.[1];
    if (key && key in replaced) {
      seen.add(key);
      return replaced[key];
    }
    return line;
  });
  for (const key of Object.keys(replaced)) if (!seen.has(key)) lines.push(replaced[key]);
  return lines;
}

/** A complete Markdown file: front matter and body (what each version's object holds). */
export function joinNote(frontMatter: string[], body: string): string {
  const head = frontMatter.length > 0 ? `---\n${frontMatter.join('\n')}\n---\n` : '';
  return `${head}${body.replace(/\s+$/, '')}\n`;
}

/** The words of a Markdown body, for search and similarity: no markup, links, HTML or URLs. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\[\[([^\]|]+)\|([^\]]+)\]\]/g, '$2')
    .replace(/\[\[([^\]]+)\]\]/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[#>*_`~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const countWords = (text: string) => (text.match(/\p{L}[\p{L}\p{N}'’-]*/gu) ?? []).length;
