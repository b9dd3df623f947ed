/**
 * A long lecture for chunking tests, generated deterministically instead of
 * committed: varied sentences from small word lists (a seeded generator picks
 * them), one caption line per sentence, timed like speech (~2.7 words/s), so
 * ~30k words is a 3-hour lecture.
 */
export interface LongLectureLine {
  /** Seconds into the video. */
  start: number;
  text: string;
}

const TOPICS = [
  'photosynthesis',
  'the Calvin cycle',
  'chlorophyll',
  'cell respiration',
  'the electron transport chain',
  'ATP synthase',
  'stomata',
  'the light reactions',
  'carbon fixation',
  'plant metabolism',
  'enzyme kinetics',
  'the thylakoid membrane',
  'glucose storage',
  'water transport',
  'photorespiration',
  'C4 plants',
];
const VERBS = [
  'depends on',
  'explains',
  'limits',
  'drives',
  'regulates',
  'is measured by',
  'competes with',
  'feeds into',
  'was discovered through',
  'changes with',
];
const OBJECTS = [
  'the amount of light',
  'the temperature of the leaf',
  'the supply of carbon dioxide',
  'a gradient of protons',
  'the concentration of oxygen',
  'a series of enzymes',
  'the energy in sunlight',
  'the structure of the chloroplast',
  'the needs of the cell',
  'the time of day',
];
const TAILS = [
  'as the experiment shows',
  'which students often forget',
  'in almost every green plant',
  'and we will come back to this',
  'according to the textbook',
  'in a surprising way',
  'under laboratory conditions',
  'which matters for the exam',
  'as we saw earlier',
  'in the simplest model',
];

/** ~`words` words of lecture, one timed line per sentence, from `seed` (same seed, same lecture). */
export function longLecture(words = 30_000, seed = 42): LongLectureLine[] {
  let state = seed >>> 0 || 1;
  const pick = <T>(list: T[]): T => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return list[state % list.length];
  };
  const lines: LongLectureLine[] = [];
  let count = 0;
  let seconds = 3;
  for (let i = 0; count < words; i++) {
    const topic = pick(TOPICS);
    const text = `Sentence ${i + 1}: ${topic[0].toUpperCase()}${topic.slice(1)} ${pick(VERBS)} ${pick(OBJECTS)}, ${pick(TAILS)}.`;
    const n = text.split(/\s+/).length;
    lines.push({ start: seconds, text });
    count += n;
    seconds += Math.max(1, Math.round(n / 2.7));
  }
  return lines;
}

const srtTime = (s: number) => {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)},000`;
};

/** The lines as SubRip, each shown until the next starts. */
export function toSrt(lines: LongLectureLine[]): string {
  return lines
    .map((l, i) => `${i + 1}\n${srtTime(l.start)} --> ${srtTime(lines[i + 1]?.start ?? l.start + 5)}\n${l.text}\n`)
    .join('\n');
}
