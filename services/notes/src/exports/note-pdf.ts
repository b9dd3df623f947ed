import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { lexer, Token, Tokens } from 'marked';
import { ExportNote, noteBody } from './export-note';
import { unlinkWikiLinks } from './flashcards';
import { isFontFile, PDF_FONTS } from './pdf-fonts';

// pdfmake is a process-wide singleton: its fonts and access policies are set once, here.
const pdfmake = require('pdfmake') as typeof import('pdfmake');
pdfmake.setFonts(PDF_FONTS);
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy(isFontFile);

type Inline = Exclude<Content, string> | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e]);
const stripTags = (html: string) => decode(html.replace(/<[^>]*>/g, '')).trim();
/** Only web and mail links become clickable; anything else (javascript:, file:) stays text. */
const safeHref = (href: string) => (/^(https?:|mailto:)/i.test(href) ? href : undefined);

function inlines(tokens: Token[] | undefined, style: Record<string, unknown> = {}): Inline[] {
  const out: Inline[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...inlines((t as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...inlines((t as Tokens.Em).tokens, { ...style, italics: true }));
        break;
      case 'del':
        out.push(...inlines((t as Tokens.Del).tokens, { ...style, decoration: 'lineThrough' }));
        break;
      case 'codespan':
        out.push({
          text: decode((t as Tokens.Codespan).text),
          ...style,
          font: 'DejaVuSansMono',
          background: '#eeeeee',
        });
        break;
      case 'link': {
        const link = t as Tokens.Link;
        const href = safeHref(link.href);
        const content = inlines(link.tokens, style);
        out.push(href ? { text: content, link: href, color: '#1a5fb4', decoration: 'underline' } : { text: content });
        break;
      }
      case 'image':
        out.push({ text: `[${(t as Tokens.Image).text || 'image'}]`, ...style, italics: true });
        break;
      case 'br':
        out.push('\n');
        break;
      case 'html':
        if (stripTags((t as Tokens.HTML).text)) out.push({ text: stripTags((t as Tokens.HTML).text), ...style });
        break;
      case 'text': {
        const text = t as Tokens.Text;
        if (text.tokens?.length) out.push(...inlines(text.tokens, style));
        else out.push({ text: decode(text.text), ...style });
        break;
      }
      default:
        // escape, checkbox and anything unknown: their text as written
        if ('text' in t && typeof t.text === 'string') out.push({ text: decode(t.text), ...style });
    }
  }
  return out;
}

function listItem(item: Tokens.ListItem): Content {
  const blocks = item.tokens.map((t) =>
    t.type === 'text' ? { text: inlines((t as Tokens.Text).tokens ?? [t]) } : block(t),
  );
  const flat = blocks.filter((b): b is Content => b !== null);
  const content = flat.length === 1 ? flat[0] : { stack: flat };
  return item.task ? { text: [item.checked ? '☑ ' : '☐ ', content as Inline] } : content;
}

function block(t: Token): Content | null {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      return { text: inlines(h.tokens), style: `h${Math.min(h.depth, 4)}`, headlineLevel: h.depth };
    }
    case 'paragraph':
      return { text: inlines((t as Tokens.Paragraph).tokens), style: 'paragraph' };
    case 'list': {
      const list = t as Tokens.List;
      const items = list.items.map(listItem);
      return list.ordered
        ? { ol: items, start: typeof list.start === 'number' ? list.start : 1, style: 'list' }
        : { ul: items, style: 'list' };
    }
    case 'blockquote':
      return {
        stack: (t as Tokens.Blockquote).tokens.map(block).filter((b): b is Content => b !== null),
        style: 'quote',
      };
    case 'code':
      return {
        table: {
          widths: ['*'],
          body: [[{ text: (t as Tokens.Code).text, style: 'code', preserveLeadingSpaces: true }]],
        },
        layout: 'noBorders',
        fillColor: '#f4f4f4',
        margin: [0, 2, 0, 8],
      };
    case 'hr':
      return {
        canvas: [{ type: 'line', x1: 0, y1: 4, x2: 515, y2: 4, lineWidth: 0.5, lineColor: '#999999' }],
        margin: [0, 4, 0, 8],
      };
    case 'table': {
      const table = t as Tokens.Table;
      const row = (cells: Tokens.TableCell[], bold: boolean) => cells.map((c) => ({ text: inlines(c.tokens), bold }));
      return {
        table: { headerRows: 1, body: [row(table.header, true), ...table.rows.map((r) => row(r, false))] },
        margin: [0, 2, 0, 8],
      };
    }
    case 'html': {
      // the processor wraps model answers in <details><summary>Model answer</summary>: a label in print
      const text = stripTags((t as Tokens.HTML).text);
      return text ? { text, style: 'label' } : null;
    }
    case 'space':
    case 'def':
      return null;
    case 'text':
      return { text: inlines((t as Tokens.Text).tokens ?? [t]), style: 'paragraph' };
    default:
      return 'text' in t && typeof t.text === 'string' ? { text: decode(t.text), style: 'paragraph' } : null;
  }
}

/** The PDF's content from Markdown: headings, paragraphs, lists, quotes, code, tables, links, the assessment. */
export function markdownToPdfContent(markdown: string): Content[] {
  return lexer(unlinkWikiLinks(markdown))
    .map(block)
    .filter((b): b is Content => b !== null);
}

export function noteDocument(note: ExportNote): TDocumentDefinitions {
  const meta = [note.subject, ...note.tags.map((t) => `#${t}`)].join('  ·  ');
  return {
    info: { title: note.title, subject: note.subject, keywords: note.tags.join(', '), creator: 'Study Buddy' },
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 48],
    defaultStyle: { font: 'DejaVuSans', fontSize: 10.5, lineHeight: 1.25 },
    content: [{ text: meta, style: 'meta' }, ...markdownToPdfContent(noteBody(note.markdown))],
    footer: (page: number, pages: number) => ({
      text: `${page} / ${pages}`,
      alignment: 'center',
      fontSize: 8,
      color: '#777777',
    }),
    styles: {
      h1: { fontSize: 20, bold: true, margin: [0, 4, 0, 8] },
      h2: { fontSize: 15, bold: true, margin: [0, 12, 0, 6] },
      h3: { fontSize: 12.5, bold: true, margin: [0, 8, 0, 4] },
      h4: { fontSize: 11, bold: true, margin: [0, 6, 0, 3] },
      paragraph: { margin: [0, 0, 0, 6] },
      list: { margin: [0, 0, 0, 6] },
      quote: { italics: true, color: '#444444', margin: [12, 0, 0, 6] },
      code: { font: 'DejaVuSansMono', fontSize: 9 },
      label: { bold: true, color: '#26a269', margin: [0, 2, 0, 2] },
      meta: { fontSize: 9, color: '#666666', margin: [0, 0, 0, 6] },
    },
  };
}

/** `GET /notes/{id}/download?format=pdf`: rendered in-process by pdfmake with embedded DejaVu fonts. */
export function buildNotePdf(note: ExportNote): Promise<Buffer> {
  return pdfmake.createPdf(noteDocument(note)).getBuffer();
}
