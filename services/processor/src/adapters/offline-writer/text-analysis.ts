import { STOP_WORDS } from './stop-words';

export interface Sentence {
  index: number;
  text: string;
  /** Content-word keys (lower-case, light stemming) in order. */
  keys: string[];
  words: number;
}

export interface Term {
  key: string;
  /** The most frequent way it was written, e.g. "DNA polymerase". */
  display: string;
  count: number;
  score: number;
  sentences: Set<number>;
}

/** Words of two letters or fewer carry little meaning in a lecture, unless written as an acronym. */
const WORD = /[\p{L}][\p{L}\p{M}'’-]*[\p{L}]|[\p{L}]/gu;

export function stem(word: string): string {
  const w = word.toLowerCase().replace(/[’']/g, "'");
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && w.endsWith('es') && /(ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

export const isContentWord = (word: string) => {
  const lower = word.toLowerCase().replace(/[’]/g, "'");
  return !STOP_WORDS.has(lower) && (lower.length > 2 || /^[A-Z]{2}$/.test(word)) && !/^\d+$/.test(lower);
};

/**
 * Splits text into sentences. Auto-generated captions often have no
 * punctuation at all; such text is cut into ~22-word spans instead, so it
 * still yields readable units.
 */
export function splitSentences(text: string): string[] {
  const parts = text
    .split(/(?<=[.!?])\s+(?=["“(]?[\p{Lu}\d])/u)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const part of parts) {
    const words = part.split(/\s+/);
    if (words.length <= 45) {
      out.push(part);
      continue;
    }
    for (let i = 0; i < words.length; i += 22) {
      const span = words.slice(i, i + 22).join(' ');
      out.push(finishSentence(span));
    }
  }
  return out;
}

export function finishSentence(span: string): string {
  const trimmed = span.trim().replace(/[,;:]$/, '');
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]["”)]?$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function analyse(text: string): { sentences: Sentence[]; terms: Map<string, Term>; wordCount: number } {
  const raw = splitSentences(text);
  const terms = new Map<string, Term>();
  const surface = new Map<string, Map<string, number>>();
  let wordCount = 0;

  const note = (key: string, display: string, index: number, weight: number) => {
    const term = terms.get(key) ?? { key, display, count: 0, score: 0, sentences: new Set<number>() };
    term.count += 1;
    term.score += weight;
    term.sentences.add(index);
    terms.set(key, term);
    const forms = surface.get(key) ?? new Map<string, number>();
    forms.set(display, (forms.get(display) ?? 0) + 1);
    surface.set(key, forms);
  };

  const sentences = raw.map((text, index) => {
    const words = text.match(WORD) ?? [];
    wordCount += words.length;
    const keys: string[] = [];
    // Runs of adjacent content words form candidate phrases ("natural selection", "light dependent reactions").
    let run: { key: string; shown: string }[] = [];
    words.forEach((word, position) => {
      if (!isContentWord(word)) {
        run = [];
        return;
      }
      const key = stem(word);
      const shown = displayForm(word, position === 0);
      keys.push(key);
      note(key, shown, index, specificity(key));
      run.push({ key, shown });
      for (const size of [2, 3]) {
        if (run.length < size) continue;
        const words = run.slice(-size);
        const phraseKey = words.map((w) => w.key).join(' ');
        note(phraseKey, words.map((w) => w.shown).join(' '), index, (size === 2 ? 1.25 : 1.5) * specificity(phraseKey));
      }
    });
    return { index, text, keys, words: words.length };
  });

  for (const [key, forms] of surface) {
    const term = terms.get(key)!;
    term.display = [...forms.entries()].sort((a, b) => b[1] - a[1])[0][0];
  }
  return { sentences, terms, wordCount };
}

/**
 * Without a corpus to tell rare words from common ones, length stands in:
 * "photosynthesis" says more about a lecture than "light".
 */
function specificity(key: string): number {
  return Math.max(1, Math.log2(key.length));
}

/**
 * Words keep the case the speaker's transcript gives them ("Calvin", "ATP"),
 * except the capital every sentence starts with.
 */
function displayForm(word: string, sentenceStart: boolean): string {
  if (/^[\p{Lu}\d]{2,}s?$/u.test(word)) return word;
  return sentenceStart ? word.toLowerCase() : word;
}
