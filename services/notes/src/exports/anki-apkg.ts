import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import initSqlJs, { SqlJsStatic } from 'sql.js';
import { cardTags, deckName } from './anki-csv';
import { Flashcard } from './flashcards';

/** The WASM build of SQLite loads once per process. */
let sqlJs: Promise<SqlJsStatic> | undefined;
const sqlite = () => (sqlJs ??= initSqlJs());

/** Anki's collection schema, version 11: what Anki 2.1 still imports from an `.apkg`. */
const SCHEMA = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null,
  odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,
  ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
`;

/** Fixed ids: a second import of a newer export finds the same note type and decks again. */
const MODEL_ID = 1_700_000_000_001;
const FIELDS = ['Front', 'Back', 'Source'];

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
/** Anki's checksum of a note's sort field: the first 8 hex digits of its SHA-1, as a number. */
const checksum = (sortField: string) => parseInt(sha1(stripHtml(sortField)).slice(0, 8), 16);
const stripHtml = (html: string) => html.replace(/<[^>]*>/g, '');
/** A deck id from its name: stable, positive and within JavaScript's exact integers. */
const deckId = (name: string) => 1_000_000_000 + (parseInt(sha1(name).slice(0, 8), 16) % 1_000_000_000);

/** Anki fields are HTML: the text escaped, its line breaks kept. */
export const ankiHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<br>');

function model(now: number, defaultDeck: number) {
  return {
    id: MODEL_ID,
    name: 'Study Buddy (basic)',
    type: 0,
    mod: now,
    usn: -1,
    sortf: 0,
    did: defaultDeck,
    tmpls: [
      {
        name: 'Card 1',
        ord: 0,
        qfmt: '{{Front}}',
        afmt: '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>',
        did: null,
        bqfmt: '',
        bafmt: '',
      },
    ],
    flds: FIELDS.map((name, ord) => ({ name, ord, sticky: false, rtl: false, font: 'Arial', size: 20, media: [] })),
    css: '.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }\n.source { margin-top: 1em; font-size: 14px; color: #666; }',
    latexPre:
      '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n',
    latexPost: '\\end{document}',
    latexsvg: false,
    tags: [],
    vers: [],
    req: [[0, 'any', [0]]],
  };
}

function deck(id: number, name: string, now: number) {
  return {
    id,
    name,
    desc: '',
    mod: Math.floor(now / 1000),
    usn: -1,
    collapsed: false,
    browserCollapsed: false,
    newToday: [0, 0],
    revToday: [0, 0],
    lrnToday: [0, 0],
    timeToday: [0, 0],
    dyn: 0,
    conf: 1,
    extendNew: 10,
    extendRev: 50,
  };
}

const DECK_CONFIG = {
  1: {
    id: 1,
    name: 'Default',
    mod: 0,
    usn: 0,
    maxTaken: 60,
    autoplay: true,
    timer: 0,
    replayq: true,
    dyn: false,
    new: { bury: true, delays: [1, 10], initialFactor: 2500, ints: [1, 4, 7], order: 1, perDay: 20, separate: true },
    lapse: { delays: [10], leechAction: 0, leechFails: 8, minInt: 1, mult: 0 },
    rev: { bury: true, ease4: 1.3, fuzz: 0.05, ivlFct: 1, maxIvl: 36500, minSpace: 1, perDay: 200 },
  },
};

/**
 * An Anki package: a zip of `collection.anki2` (SQLite in Anki's schema, written with sql.js) and a
 * `media` manifest (none here). Each card is one note of a three-field note type with one card,
 * in a deck per subject, tagged by subject, the note's tags and the card's kind.
 */
export async function buildAnkiPackage(cards: Flashcard[], now = Date.now()): Promise<Buffer> {
  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    db.run(SCHEMA);
    const defaultDeck = deck(1, 'Default', now);
    const decks: Record<string, ReturnType<typeof deck>> = { 1: defaultDeck };
    for (const c of cards) {
      const name = deckName(c.subject);
      const parent = name.split('::')[0];
      for (const n of [parent, name]) decks[deckId(n)] ??= deck(deckId(n), n, now);
    }
    const seconds = Math.floor(now / 1000);
    db.run('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)', [
      seconds,
      now,
      now,
      JSON.stringify({
        nextPos: cards.length + 1,
        estTimes: true,
        activeDecks: [1],
        sortType: 'noteFld',
        timeLim: 0,
        sortBackwards: false,
        addToCur: true,
        curDeck: 1,
        newBury: true,
        newSpread: 0,
        dueCounts: true,
        curModel: String(MODEL_ID),
        collapseTime: 1200,
      }),
      JSON.stringify({ [MODEL_ID]: model(seconds, 1) }),
      JSON.stringify(decks),
      JSON.stringify(DECK_CONFIG),
      '{}',
    ]);
    const insertNote = db.prepare("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')");
    const insertCard = db.prepare("INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')");
    cards.forEach((c, i) => {
      const front = ankiHtml(c.front);
      const fields = [front, ankiHtml(c.back), ankiHtml(c.noteTitle)];
      // ids are epoch milliseconds in Anki; consecutive ones keep them unique within the package
      const noteId = now + i;
      insertNote.run([
        noteId,
        sha1(c.key).slice(0, 10),
        MODEL_ID,
        seconds,
        ` ${cardTags(c).join(' ')} `,
        fields.join('\x1f'),
        stripHtml(front),
        checksum(front),
      ]);
      insertCard.run([noteId, noteId, deckId(deckName(c.subject)), seconds, i + 1]);
    });
    insertNote.free();
    insertCard.free();
    const collection = db.export();
    return Buffer.from(zipSync({ 'collection.anki2': collection, media: strToU8('{}') }, { level: 6 }));
  } finally {
    db.close();
  }
}
