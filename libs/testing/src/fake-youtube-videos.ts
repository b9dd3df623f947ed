/** Scripted videos for the fake YouTube: what the transcript source and the system test run against. */

export type Cue = [start: number, duration: number, text: string];

export interface FakeTrack {
  languageCode: string;
  kind?: 'asr';
  name?: string;
  translatable?: boolean;
  cues: Cue[];
}

export type FakePlayability =
  | 'ok'
  | 'age_restricted'
  | 'unavailable'
  | 'unplayable'
  | 'blocked'
  | 'captions_disabled'
  | 'private'
  | 'members_only'
  | 'live';

export interface FakeYouTubeVideo {
  title?: string;
  channel?: string;
  lengthSeconds?: number;
  playability?: FakePlayability;
  tracks?: FakeTrack[];
  /** Languages YouTube offers to translate translatable tracks into. */
  translationLanguages?: string[];
  /** The first `times` player requests for this video answer with this instead of the player response. */
  failFirst?: { times: number; with: 429 | 500 | 503 | 'consent' | 'blocked' | 'hang' };
  /** How one InnerTube client sees the video: caption URLs needing a PO token, no captions at all, or a bot check. */
  clients?: Partial<Record<string, 'po_token' | 'no_captions' | 'blocked'>>;
  /** Caption requests wait until `release(videoId)` (or the server closes). */
  holdCaptions?: boolean;
  /** Caption requests answer an empty 200, as `exp=xpe` URLs do. */
  emptyCaptions?: boolean;
}

const LECTURE = [
  'Today we are going to talk about photosynthesis, the process plants use to turn light into chemical energy.',
  'Photosynthesis happens in the chloroplasts, small structures inside the leaf cells of green plants.',
  'The chloroplasts contain a green pigment called chlorophyll that absorbs red and blue light.',
  'For example, a maple leaf looks green because chlorophyll reflects green light instead of absorbing it.',
  'The light reactions split water molecules and release oxygen as a by-product into the air.',
  'The energy captured by chlorophyll is stored in two carrier molecules called ATP and NADPH.',
  'In the Calvin cycle the plant uses ATP and NADPH to fix carbon dioxide into sugar.',
  'For instance, a sunflower growing in a field fixes several grams of carbon dioxide every day.',
  'The sugar made by photosynthesis feeds the plant and, through food chains, almost every animal.',
  'Without photosynthesis there would be no oxygen in the atmosphere for animals to breathe.',
  'Scientists measure the rate of photosynthesis by counting the oxygen bubbles a water plant releases.',
  'Light intensity, carbon dioxide concentration and temperature all limit the rate of photosynthesis.',
  'Imagine a greenhouse where growers raise carbon dioxide levels so their tomatoes grow faster.',
  'To summarise, photosynthesis turns light, water and carbon dioxide into sugar and oxygen.',
];
const VORLESUNG = [
  'Heute sprechen wir über die Photosynthese, mit der Pflanzen Licht in chemische Energie umwandeln.',
  'Die Photosynthese findet in den Chloroplasten statt, kleinen Strukturen in den Blattzellen.',
  'Die Chloroplasten enthalten einen grünen Farbstoff namens Chlorophyll, der rotes und blaues Licht aufnimmt.',
  'Zum Beispiel sieht ein Ahornblatt grün aus, weil Chlorophyll das grüne Licht zurückwirft.',
  'Die Lichtreaktionen spalten Wasser und geben Sauerstoff als Nebenprodukt an die Luft ab.',
  'Im Calvin-Zyklus bindet die Pflanze Kohlendioxid und stellt daraus Zucker her.',
  'Ohne Photosynthese gäbe es keinen Sauerstoff in der Atmosphäre, den Tiere atmen könnten.',
  'Zusammengefasst wandelt die Photosynthese Licht, Wasser und Kohlendioxid in Zucker und Sauerstoff um.',
];

/** Cues of one sentence each, `gap` seconds apart, starting after a short intro. */
export function cuesOf(sentences: string[], { first = 3, gap = 7 } = {}): Cue[] {
  return sentences.map((s, i) => [first + i * gap, gap - 0.5, s]);
}

/** Auto captions: lower case, no punctuation, broken into short fragments (what ASR tracks look like). */
export function asrCuesOf(sentences: string[]): Cue[] {
  const words = sentences.join(' ').toLowerCase().replace(/[.,]/g, '').split(/\s+/);
  const cues: Cue[] = [];
  for (let i = 0; i < words.length; i += 8) cues.push([1 + i * 0.4, 3.2, words.slice(i, i + 8).join(' ')]);
  return cues;
}

export const LECTURE_SENTENCES = LECTURE;

/** The scripted videos of issue 9's "Done when", by their (fake) 11-character ids. */
export const SCRIPTED_VIDEOS = {
  /** Manual English and German captions plus automatic English: the requested language wins, manual first. */
  MANUAL2LANG: {
    title: 'Photosynthesis explained',
    channel: 'Study Channel',
    lengthSeconds: 110,
    tracks: [
      { languageCode: 'en', name: 'English', cues: cuesOf(LECTURE) },
      { languageCode: 'de', name: 'German', cues: cuesOf(VORLESUNG) },
      { languageCode: 'en', kind: 'asr', name: 'English (auto-generated)', cues: asrCuesOf(LECTURE) },
    ],
  },
  /** Only YouTube's automatic captions. */
  AUTOCAPONLY: {
    title: 'Photosynthesis, auto captions only',
    lengthSeconds: 95,
    tracks: [{ languageCode: 'en', kind: 'asr', name: 'English (auto-generated)', cues: asrCuesOf(LECTURE) }],
  },
  AGERESTRICT: { playability: 'age_restricted' },
  /** The first two player requests answer HTTP 429, then the video works. */
  RATELIMIT02: {
    title: 'Photosynthesis after a rate limit',
    failFirst: { times: 2, with: 429 },
    tracks: [{ languageCode: 'en', name: 'English', cues: cuesOf(LECTURE) }],
  },
  NOCAPTIONS0: { playability: 'captions_disabled' },
  UNAVAILABLE: { playability: 'unavailable' },
  /** Caption requests wait for `release('HOLDCAPTION')`: a worker can be killed mid-fetch. */
  HOLDCAPTION: {
    title: 'Photosynthesis, slowly',
    holdCaptions: true,
    tracks: [{ languageCode: 'en', name: 'English', cues: cuesOf(LECTURE) }],
  },
} satisfies Record<string, FakeYouTubeVideo>;
