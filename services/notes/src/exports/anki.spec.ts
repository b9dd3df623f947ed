import initSqlJs from 'sql.js';
import { unzip } from '@study-buddy/testing';
import { exportNote } from '../../test/export-notes';
import { buildAnkiPackage } from './anki-apkg';
import { buildFlashcardCsv, csvField } from './anki-csv';
import { noteFlashcards } from './flashcards';

const notes = [
  exportNote({
    title: 'Photosynthesis',
    subject: 'Biology',
    tags: ['plants', 'energy flow'],
    concepts: [
      { term: 'Chlorophyll', explanation: 'The green pigment.' },
      { term: 'Calvin cycle', explanation: 'Fixes CO2 into sugar.\n\nUses ATP.' },
    ],
    definitions: [{ term: 'Stoma', definition: 'A pore in the leaf.' }],
    questions: [
      { question: 'Why are leaves green?', answer: 'Chlorophyll reflects green <light> & "more".' },
      { question: 'Where does the Calvin cycle run?', answer: 'In the stroma.' },
    ],
    related: ['Cellular respiration'],
  }),
  exportNote({
    title: 'Limits',
    subject: 'Maths',
    concepts: [{ term: 'Limit', explanation: 'What f(x) approaches.' }],
  }),
];

/** The columns of each Anki table (schema 11), as Anki itself creates them. */
const ANKI_COLUMNS = {
  col: ['id', 'crt', 'mod', 'scm', 'ver', 'dty', 'usn', 'ls', 'conf', 'models', 'decks', 'dconf', 'tags'],
  notes: ['id', 'guid', 'mid', 'mod', 'usn', 'tags', 'flds', 'sfld', 'csum', 'flags', 'data'],
  cards: [
    'id',
    'nid',
    'did',
    'ord',
    'mod',
    'usn',
    'type',
    'queue',
    'due',
    'ivl',
    'factor',
    'reps',
    'lapses',
    'left',
    'odue',
    'odid',
    'flags',
    'data',
  ],
  revlog: ['id', 'cid', 'usn', 'ease', 'ivl', 'lastIvl', 'factor', 'time', 'type'],
  graves: ['usn', 'oid', 'type'],
};

describe('flashcards', () => {
  it('makes a card per assessment question, concept and definition', () => {
    const cards = noteFlashcards(notes[0]);
    expect(cards.map((c) => [c.kind, c.front])).toEqual([
      ['concept', 'Chlorophyll'],
      ['concept', 'Calvin cycle'],
      ['definition', 'Stoma'],
      ['question', 'Why are leaves green?'],
      ['question', 'Where does the Calvin cycle run?'],
    ]);
    expect(cards[1].back).toBe('Fixes CO2 into sugar.\n\nUses ATP.');
    expect(cards[3].back).toBe('Chlorophyll reflects green <light> & "more".');
    expect(new Set(cards.map((c) => c.key)).size).toBe(cards.length);
  });
});

describe('Anki package', () => {
  it("opens as SQLite with Anki's tables and fields, a card per flashcard, tagged by subject", async () => {
    const cards = notes.flatMap(noteFlashcards);
    const files = await unzip(await buildAnkiPackage(cards, 1_764_000_000_000));
    expect([...files.keys()].sort()).toEqual(['collection.anki2', 'media']);
    expect(JSON.parse(files.get('media')!.toString())).toEqual({});

    const SQL = await initSqlJs();
    const db = new SQL.Database(files.get('collection.anki2')!);
    for (const [table, columns] of Object.entries(ANKI_COLUMNS)) {
      const info = db.exec(`PRAGMA table_info(${table})`)[0];
      expect([table, info.values.map((row) => row[1])]).toEqual([table, columns]);
    }
    const one = (sql: string) => Number(db.exec(sql)[0].values[0][0]);
    expect(one('SELECT ver FROM col')).toBe(11);
    expect(one('SELECT count(*) FROM notes')).toBe(6);
    expect(one('SELECT count(*) FROM cards')).toBe(6);
    expect(one('SELECT count(*) FROM cards c JOIN notes n ON n.id = c.nid')).toBe(6);
    expect(one('SELECT count(*) FROM revlog') + one('SELECT count(*) FROM graves')).toBe(0);

    const [models, decks] = db.exec('SELECT models, decks FROM col')[0].values[0].map((v) => JSON.parse(String(v)));
    const model = Object.values(models)[0] as { id: number; flds: { name: string }[]; tmpls: { qfmt: string }[] };
    expect(model.flds.map((f) => f.name)).toEqual(['Front', 'Back', 'Source']);
    expect(model.tmpls[0].qfmt).toBe('{{Front}}');
    const deckNames = Object.values(decks as Record<string, { name: string }>).map((d) => d.name);
    expect(deckNames).toEqual(
      expect.arrayContaining(['Default', 'Study Buddy', 'Study Buddy::Biology', 'Study Buddy::Maths']),
    );
    // every note uses the model, every card sits in a deck of the collection
    expect(one(`SELECT count(*) FROM notes WHERE mid != ${model.id}`)).toBe(0);
    const deckIds = db.exec('SELECT DISTINCT did FROM cards')[0].values.map((r) => String(r[0]));
    for (const id of deckIds) expect(Object.keys(decks)).toContain(id);

    const rows = db.exec("SELECT flds, tags, sfld FROM notes WHERE sfld = 'Why are leaves green?'")[0].values;
    expect(rows).toHaveLength(1);
    const [fields, tags] = rows[0] as string[];
    expect(fields.split('\x1f')).toEqual([
      'Why are leaves green?',
      'Chlorophyll reflects green &lt;light&gt; &amp; &quot;more&quot;.',
      'Photosynthesis',
    ]);
    expect(tags.trim().split(' ')).toEqual(['subject::Biology', 'plants', 'energy_flow', 'study-buddy::question']);
    expect(one("SELECT count(*) FROM notes WHERE tags LIKE '% subject::Maths %'")).toBe(1);
    db.close();
  });

  it('gives a card the same guid in every export, so a re-import updates it', async () => {
    const SQL = await initSqlJs();
    const guids = async (now: number) => {
      const files = await unzip(await buildAnkiPackage(noteFlashcards(notes[0]), now));
      const db = new SQL.Database(files.get('collection.anki2')!);
      const values = db.exec('SELECT guid FROM notes ORDER BY guid')[0].values.flat();
      db.close();
      return values;
    };
    expect(await guids(1)).toEqual(await guids(2_000_000));
  });
});

describe('flashcard CSV', () => {
  it('quotes every field, doubles quotes and keeps line breaks inside a field', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    // a spreadsheet must not run a cell as a formula
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });

  it('has a header and a row per card', () => {
    const csv = buildFlashcardCsv(notes.flatMap(noteFlashcards)).toString('utf8');
    expect(csv.startsWith('\ufeff"front","back","tags","deck","kind"\r\n')).toBe(true);
    const records = csv.slice(1).trimEnd().split('\r\n');
    expect(records).toHaveLength(1 + 6);
    expect(records).toContain(
      '"Calvin cycle","Fixes CO2 into sugar.\n\nUses ATP.","subject::Biology plants energy_flow study-buddy::concept","Study Buddy::Biology","concept"',
    );
  });
});
