/**
 * PostgreSQL's text-search configuration for a note's language (ISO 639-1 code or English name): its
 * stemmer and stop words. A language PostgreSQL has no stemmer for is indexed word by word ('simple').
 */
const CONFIGS: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};
const NAMES = new Set(Object.values(CONFIGS));

export function searchConfig(language: string): string {
  const code = language.trim().toLowerCase();
  const primary = code.split(/[-_]/)[0];
  if (NAMES.has(code)) return code;
  return CONFIGS[primary] ?? 'simple';
}

/** Every configuration a note can be indexed with: a query is parsed with each, so each note's stems match. */
export const SEARCH_CONFIGS = ['simple', ...NAMES];
