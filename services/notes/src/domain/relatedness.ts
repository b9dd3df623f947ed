/**
 * Which of one user's notes are related, and how strongly. Pure, over that user's library only.
 *
 * Notes on neighbouring topics share plenty of words (photosynthesis and respiration both talk about ATP
 * and glucose), so raw text similarity alone links the wrong pairs. The direct score of a pair mixes three
 * IDF-weighted cosines: of the concepts and of the tags the writer named (what the note is about), and of
 * the text (title, concepts and summary weighted up; unigrams and bigrams; words of one note alone left
 * out). It is then blended with how alike the two notes' neighbourhoods are: notes of one topic resemble
 * the same other notes, while two notes of different topics that share a few specific terms do not.
 * Weights were chosen on the hand-labelled study library (libs/testing/fixtures/library). A pair under
 * the threshold is not related at all, so a note may list fewer neighbours than asked.
 */

export interface LibraryNote {
  noteId: string;
  title: string;
  subject: string;
  tags: string[];
  concepts: string[];
  summary: string;
  bodyText: string;
}

export interface Relation {
  /** The pair, `a` < `b` (a relation is symmetric). */
  a: string;
  b: string;
  score: number;
  /** The concepts both notes name (as `a` spells them), most telling first. */
  sharedConcepts: string[];
}

export const RELATED_THRESHOLD = 0.08;
const WEIGHTS = { concepts: 0.3, tags: 0.4, text: 0.3 };
const NEIGHBOURHOOD = 0.5;

/** Compares concepts and tags as words, not spellings: case, punctuation and a plural `s` aside. */
export function normaliseTerm(term: string): string {
  return term
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map(stem)
    .join(' ');
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1);
  return word;
}

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers him ' +
    'his how i if in into is it its itself just let like made make makes many may me more most much must my no nor not ' +
    'now of off on once one only or other our ours out over own same she should so some such than that the their them ' +
    'then there these they this those through to too under until up us use used uses using very was we well were what ' +
    'when where which while who whom why will with would you your yours also called way ways thing things lecture ' +
    'today talk look see get got going go really lot example first second two three new called means mean different ' +
    'el la los las de del y en que un una le les des et du est der die das und ist ein eine'
  ).split(' '),
);

function tokens(text: string): string[] {
  const words = (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
    .filter((w) => w.length > 2 && !STOPWORDS.has(w))
    .map(stem);
  const grams = [...words];
  for (let i = 1; i < words.length; i++) grams.push(`${words[i - 1]}_${words[i]}`);
  return grams;
}

type Vector = Map<string, number>;

function termCounts(note: LibraryNote): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const t of tokens(text)) counts.set(t, (counts.get(t) ?? 0) + weight);
  };
  add(note.title, 3);
  add(note.concepts.join('. '), 2);
  add(note.summary, 2);
  add(note.bodyText, 1);
  return counts;
}

/** IDF-weighted, length-normalised vectors of each item's terms (sublinear tf). */
function tfidf(items: Array<Map<string, number>>, sharedOnly: boolean): Vector[] {
  const df = new Map<string, number>();
  for (const counts of items) for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = items.length;
  return items.map((counts) => {
    const v: Vector = new Map();
    let norm = 0;
    for (const [term, count] of counts) {
      const d = df.get(term) ?? 1;
      // in running text, a word of one note alone cannot be shared and would only dilute every cosine (a
      // concept or tag of its own does count: it is part of what the note is about); one in every note says nothing
      // and in a large library a word in most notes costs the most pairs for the least information
      if ((sharedOnly && d < 2) || d >= n || d > Math.max(n / 2, 10)) continue;
      const idf = Math.log((n + 1) / d);
      const w = (1 + Math.log(count)) * idf;
      v.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
}

/**
 * Every non-zero cosine between the vectors, as sparse rows: summed over each term's postings, so the
 * cost follows the pairs that share a term rather than every pair of a large library.
 */
function cosines(vectors: Vector[]): Array<Map<number, number>> {
  const postings = new Map<string, { ids: number[]; weights: number[] }>();
  vectors.forEach((v, i) => {
    for (const [term, w] of v) {
      const list = postings.get(term) ?? { ids: [], weights: [] };
      if (list.ids.length === 0) postings.set(term, list);
      list.ids.push(i);
      list.weights.push(w);
    }
  });
  const sums = new Float64Array(vectors.length);
  return vectors.map((v, i) => {
    const touched: number[] = [];
    for (const [term, w] of v) {
      const { ids, weights } = postings.get(term) as { ids: number[]; weights: number[] };
      for (let k = 0; k < ids.length; k++) {
        const j = ids[k];
        if (j === i) continue;
        if (sums[j] === 0) touched.push(j);
        sums[j] += w * weights[k];
      }
    }
    const row = new Map<number, number>();
    for (const j of touched) {
      row.set(j, sums[j]);
      sums[j] = 0;
    }
    return row;
  });
}

const termSet = (terms: string[]) => new Map(terms.map((t) => [normaliseTerm(t), t] as const).filter(([k]) => k));

/** Pairwise similarity of the notes' own features (concepts, tags, text), as sparse symmetric rows. */
export function directSimilarity(library: LibraryNote[]) {
  const concepts = library.map((n) => termSet(n.concepts));
  const tags = library.map((n) => termSet(n.tags));
  const conceptVectors = tfidf(
    concepts.map((c) => new Map([...c.keys()].map((k) => [k, 1]))),
    false,
  );
  const tagVectors = tfidf(
    tags.map((t) => new Map([...t.keys()].map((k) => [k, 1]))),
    false,
  );
  const parts: Array<[number, Array<Map<number, number>>]> = [
    [WEIGHTS.concepts, cosines(conceptVectors)],
    [WEIGHTS.tags, cosines(tagVectors)],
    [WEIGHTS.text, cosines(tfidf(library.map(termCounts), true))],
  ];
  const rows = library.map(() => new Map<number, number>());
  for (const [weight, part] of parts)
    part.forEach((row, i) => {
      for (const [j, c] of row) rows[i].set(j, (rows[i].get(j) ?? 0) + weight * c);
    });
  return { rows, concepts, conceptVectors };
}

/** A note's neighbourhood: its strongest direct neighbours only, so comparing two costs O(NEIGHBOURS). */
const NEIGHBOURS = 25;
function profiles(rows: Array<Map<number, number>>): Array<Map<number, number>> {
  return rows.map((row) => new Map([...row].sort((p, q) => q[1] - p[1]).slice(0, NEIGHBOURS)));
}

/**
 * How alike two notes' neighbourhoods are (cosine of their profiles, leaving the pair itself out).
 * Notes of one topic resemble the same other notes; two notes of different topics that happen to share a
 * few specific terms (chemiosmosis in photosynthesis and in respiration) resemble different ones.
 */
function neighbourhoodSimilarity(profile: Array<Map<number, number>>, i: number, j: number): number {
  let dot = 0;
  let ni = 0;
  let nj = 0;
  for (const [k, w] of profile[i]) {
    if (k === j) continue;
    ni += w * w;
    const o = profile[j].get(k);
    if (o !== undefined) dot += w * o;
  }
  for (const [k, w] of profile[j]) if (k !== i) nj += w * w;
  return ni > 0 && nj > 0 ? dot / Math.sqrt(ni * nj) : 0;
}

/** Every related pair of the library, each once, strongest first. */
export function relate(library: LibraryNote[], threshold = RELATED_THRESHOLD): Relation[] {
  const { rows, concepts, conceptVectors } = directSimilarity(library);
  const profile = profiles(rows);
  const relations: Relation[] = [];
  for (let i = 0; i < library.length; i++) {
    // the neighbourhood only confirms a direct resemblance: two notes with nothing in common stay unrelated
    for (const [j, direct] of rows[i]) {
      if (j <= i || direct <= 0) continue;
      const score =
        (1 - NEIGHBOURHOOD) * direct + NEIGHBOURHOOD * direct ** 0.5 * neighbourhoodSimilarity(profile, i, j);
      if (score < threshold) continue;
      const [x, y] = library[i].noteId < library[j].noteId ? [i, j] : [j, i];
      const shared = [...concepts[x].keys()]
        .filter((k) => concepts[y].has(k))
        .sort((p, q) => (conceptVectors[x].get(q) ?? 0) - (conceptVectors[x].get(p) ?? 0))
        .map((k) => concepts[x].get(k) as string);
      relations.push({
        a: library[x].noteId,
        b: library[y].noteId,
        score: Math.round(score * 1000) / 1000,
        sharedConcepts: shared,
      });
    }
  }
  return relations.sort((p, q) => q.score - p.score);
}
