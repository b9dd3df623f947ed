import { fileUnderExisting } from '../../domain/existing-subjects';
import { isContentWord, stem } from './text-analysis';

/** Keywords that signal a subject. A note is filed under the best match, or "General". */
const LEXICON: Record<string, string[]> = {
  Biology: [
    'cell',
    'dna',
    'gene',
    'protein',
    'organism',
    'evolution',
    'species',
    'enzyme',
    'photosynthesis',
    'mitosis',
    'chromosome',
    'ecosystem',
    'bacteria',
    'virus',
    'tissue',
    'membrane',
    'rna',
    'mutation',
    'chlorophyll',
    'metabolism',
    'neuron',
    'organ',
  ],
  Chemistry: [
    'molecule',
    'atom',
    'reaction',
    'bond',
    'electron',
    'acid',
    'base',
    'compound',
    'element',
    'ion',
    'catalyst',
    'oxidation',
    'solution',
    'periodic',
    'molar',
    'covalent',
    'isotope',
  ],
  Physics: [
    'force',
    'energy',
    'mass',
    'velocity',
    'acceleration',
    'momentum',
    'gravity',
    'quantum',
    'particle',
    'wave',
    'relativity',
    'newton',
    'friction',
    'magnetic',
    'electric',
    'photon',
    'thermodynamic',
    'entropy',
  ],
  Mathematics: [
    'equation',
    'function',
    'derivative',
    'integral',
    'matrix',
    'vector',
    'theorem',
    'proof',
    'probability',
    'algebra',
    'geometry',
    'calculus',
    'polynomial',
    'prime',
    'variable',
    'graph',
    'limit',
    'statistic',
  ],
  'Computer Science': [
    'algorithm',
    'data',
    'code',
    'program',
    'software',
    'computer',
    'network',
    'database',
    'function',
    'variable',
    'compiler',
    'memory',
    'server',
    'array',
    'recursion',
    'complexity',
    'javascript',
    'python',
    'api',
    'machine learning',
    'neural network',
    'model',
  ],
  History: [
    'war',
    'empire',
    'century',
    'revolution',
    'king',
    'treaty',
    'dynasty',
    'ancient',
    'colonial',
    'battle',
    'civilization',
    'medieval',
    'independence',
    'monarchy',
    'republic',
    'historian',
  ],
  Economics: [
    'market',
    'price',
    'demand',
    'supply',
    'inflation',
    'economy',
    'trade',
    'tax',
    'cost',
    'investment',
    'interest',
    'gdp',
    'money',
    'bank',
    'profit',
    'monetary',
    'fiscal',
    'capital',
  ],
  Psychology: [
    'behavior',
    'behaviour',
    'cognitive',
    'emotion',
    'memory',
    'brain',
    'learning',
    'perception',
    'motivation',
    'personality',
    'therapy',
    'anxiety',
    'bias',
    'conditioning',
    'attention',
  ],
  Philosophy: [
    'ethics',
    'moral',
    'argument',
    'knowledge',
    'truth',
    'existence',
    'mind',
    'philosopher',
    'reason',
    'virtue',
    'metaphysics',
    'logic',
    'consciousness',
    'justice',
  ],
  Literature: [
    'novel',
    'poem',
    'poetry',
    'author',
    'character',
    'narrative',
    'theme',
    'metaphor',
    'story',
    'chapter',
    'shakespeare',
    'literary',
    'plot',
  ],
};

export function classifySubject(keyCounts: Map<string, number>): string {
  let best = { subject: 'General', score: 0 };
  for (const [subject, keywords] of Object.entries(LEXICON)) {
    const score = keywords.reduce((sum, k) => sum + (keyCounts.get(k) ?? 0), 0);
    if (score > best.score) best = { subject, score };
  }
  return best.score >= 3 ? best.subject : 'General';
}

/**
 * The note's subject given the user's existing ones: the inferred subject in the user's spelling when they have it;
 * when the inference is only "General", the existing subject whose words the lecture uses most (all of them must
 * occur; most-used first on a tie), so a lecture on a topic outside the lexicon still joins the user's shelf for it.
 */
export function chooseSubject(transcript: string, keyCounts: Map<string, number>, existing: string[] = []): string {
  const inferred = classifySubject(keyCounts);
  if (inferred !== 'General' || existing.length === 0) return fileUnderExisting(inferred, existing);
  const counts = wordCounts(transcript);
  let best = { subject: '', score: 0 };
  for (const subject of existing) {
    const words = subjectWords(subject);
    if (words.length === 0 || !words.every((w) => counts.has(w))) continue;
    const score = words.reduce((sum, w) => sum + (counts.get(w) ?? 0), 0);
    if (score > best.score) best = { subject, score };
  }
  return best.subject || fileUnderExisting(inferred, existing);
}

const WORDS = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;

/** A subject's meaningful words, stemmed as the transcript's are ("Organic Chemistry" → organic, chemistry). */
const subjectWords = (subject: string) => (subject.match(WORDS) ?? []).filter(isContentWord).map(stem);

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of text.match(WORDS) ?? []) {
    if (!isContentWord(w)) continue;
    const key = stem(w);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
