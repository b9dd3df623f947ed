/** Characters Windows, macOS, Linux or Obsidian links (`#`, `^`, `[`, `]`, `|`) do not take in a file name. */
const UNSAFE = /[\\/:*?"<>|#^[\]\p{Cc}]/gu;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file or folder name made from free text: no path separators, no leading dots (so never `..`),
 * at most `max` characters, never empty or a reserved device name.
 */
export function safeFileName(text: string, fallback = 'Untitled', max = 100): string {
  let name = text.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  name = Array.from(name).slice(0, max).join('').trim();
  if (!name) name = fallback;
  if (WINDOWS_RESERVED.test(name)) name = `${name}_`;
  return name;
}

/** Gives each name once: a repeat (compared case-insensitively, as on macOS and Windows) gets " (2)", " (3)"… */
export class UniqueNames {
  private readonly taken = new Set<string>();

  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${name} (${n})`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
