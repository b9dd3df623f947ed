import { Lexer, Token, Tokens } from 'marked';
import { printable, style } from './output';

interface Styles {
  bold(s: string): string;
  italic(s: string): string;
  code(s: string): string;
  link(s: string): string;
  dim(s: string): string;
  heading(s: string, depth: number): string;
}

const ANSI: Styles = {
  bold: style.bold,
  italic: style.italic,
  code: style.yellow,
  link: style.underline,
  dim: style.dim,
  heading: (s, depth) => (depth === 1 ? style.bold(style.underline(style.cyan(s))) : style.bold(style.cyan(s))),
};

const PLAIN: Styles = {
  bold: (s) => s,
  italic: (s) => s,
  code: (s) => s,
  link: (s) => s,
  dim: (s) => s,
  heading: (s, depth) => (depth <= 2 ? `${s}\n${(depth === 1 ? '=' : '-').repeat(Math.min(s.length, 80))}` : s),
};

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);

/** The front matter a note's Markdown starts with (YAML between `---` lines), left out of the reading view. */
export function stripFrontMatter(markdown: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(markdown);
  return match ? markdown.slice(match[0].length) : markdown;
}

/** `[[Title|mention]]` and `[[Title]]`: Obsidian links, shown as their text. */
function wikiLinks(text: string, s: Styles): string {
  return text.replace(/\[\[([^\]|]+)(?:\|([^\]]+))?\]\]/g, (_m, title: string, mention?: string) =>
    s.link(mention ?? title),
  );
}

function inline(tokens: Token[] | undefined, s: Styles): string {
  if (!tokens) return '';
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'strong':
          return s.bold(inline((token as Tokens.Strong).tokens, s));
        case 'em':
          return s.italic(inline((token as Tokens.Em).tokens, s));
        case 'codespan':
          return s.code(decode((token as Tokens.Codespan).text));
        case 'del':
          return `~${inline((token as Tokens.Del).tokens, s)}~`;
        case 'br':
          return '\n';
        case 'link': {
          const link = token as Tokens.Link;
          const text = inline(link.tokens, s);
          return link.href === link.text || !link.href ? s.link(text) : `${s.link(text)} ${s.dim(`(${link.href})`)}`;
        }
        case 'image': {
          const image = token as Tokens.Image;
          return `[image: ${image.text || image.href}]`;
        }
        case 'html':
          return '';
        case 'text':
        case 'escape': {
          const text = token as Tokens.Text;
          return text.tokens ? inline(text.tokens, s) : wikiLinks(decode(text.text), s);
        }
        default:
          return 'text' in token && typeof token.text === 'string' ? decode(token.text) : '';
      }
    })
    .join('');
}

function indent(text: string, prefix: string, first = prefix): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : prefix) + line)
    .join('\n');
}

function block(tokens: Token[], s: Styles, tty: boolean): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const heading = token as Tokens.Heading;
        out.push(s.heading(inline(heading.tokens, s), heading.depth), '');
        break;
      }
      case 'paragraph':
        out.push(inline((token as Tokens.Paragraph).tokens, s), '');
        break;
      case 'text': {
        const text = token as Tokens.Text;
        out.push(text.tokens ? inline(text.tokens, s) : wikiLinks(decode(text.text), s));
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        list.items.forEach((item, i) => {
          const bullet = list.ordered ? `${Number(list.start || 1) + i}. ` : tty ? '• ' : '- ';
          const check = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
          const body = block(item.tokens, s, tty)
            .join('\n')
            .replace(/\n+$/, '')
            .replace(/\n{2,}/g, '\n');
          out.push(indent(check + body, ' '.repeat(bullet.length), bullet));
        });
        out.push('');
        break;
      }
      case 'code': {
        const code = token as Tokens.Code;
        out.push(indent(tty ? style.yellow(code.text).replace(/\n/g, `\x1b[39m\n\x1b[33m`) : code.text, '    '), '');
        break;
      }
      case 'blockquote': {
        const quote = block((token as Tokens.Blockquote).tokens, s, tty)
          .join('\n')
          .replace(/\n+$/, '');
        out.push(indent(quote, tty ? style.dim('│ ') : '> '), '');
        break;
      }
      case 'hr':
        out.push(s.dim('─'.repeat(40)), '');
        break;
      case 'table': {
        const table = token as Tokens.Table;
        out.push(table.header.map((cell) => s.bold(inline(cell.tokens, s))).join(' | '));
        for (const row of table.rows) out.push(row.map((cell) => inline(cell.tokens, s)).join(' | '));
        out.push('');
        break;
      }
      case 'html': {
        // The note's assessment wraps each model answer in <details><summary>Model answer</summary>.
        const html = (token as Tokens.HTML).text;
        const summary = /<summary>([\s\S]*?)<\/summary>/i.exec(html);
        if (summary) out.push(s.bold(`${decode(summary[1].replace(/<[^>]*>/g, '').trim())}:`));
        else {
          const text = decode(html.replace(/<[^>]*>/g, '')).trim();
          if (text) out.push(text, '');
        }
        break;
      }
      case 'space':
        break;
      default:
        if ('text' in token && typeof token.text === 'string') out.push(decode(token.text), '');
    }
  }
  return out;
}

/**
 * A note's Markdown for a terminal: headings, bold and italics, lists, code, quotes and links drawn
 * with ANSI styles when `tty`, or as plain text (no escape codes) for a pipe or a file. Text from the
 * server has its control characters removed first, so a note cannot drive the terminal.
 */
export function renderMarkdown(markdown: string, tty: boolean): string {
  const tokens = new Lexer().lex(printable(stripFrontMatter(markdown).replace(/\r\n/g, '\n')).replace(/\t/g, '    '));
  const lines = block(tokens, tty ? ANSI : PLAIN, tty);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** A search snippet: `<mark>` around the matched words becomes bold on a terminal and nothing in plain text. */
export function renderSnippet(snippet: string, tty: boolean): string {
  const text = printable(snippet).replace(/<mark>([\s\S]*?)<\/mark>/g, (_m, word: string) =>
    tty ? style.bold(style.yellow(word)) : word,
  );
  return decode(text.replace(/<(?!\/?mark)[^>]*>/g, ''));
}
