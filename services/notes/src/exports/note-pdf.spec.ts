import { pdfText } from '@study-buddy/testing';
import { exportNote } from '../../test/export-notes';
import { buildNotePdf, markdownToPdfContent } from './note-pdf';

describe('note PDF', () => {
  it('renders the headings, lists, links and the assessment as extractable text', async () => {
    const note = exportNote({
      title: 'Photosynthesis',
      subject: 'Biology',
      questions: [{ question: 'Why do leaves look green?', answer: 'Chlorophyll reflects green light.' }],
      related: ['Cellular respiration'],
    });
    const pdf = await buildNotePdf(note);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    for (const heading of ['Photosynthesis', 'Summary', 'Core Concepts', 'Key Points', 'Assessment', 'Related notes'])
      expect(text).toContain(heading);
    expect(text).toContain('Second point with a link');
    expect(text).toContain('Why do leaves look green?');
    expect(text).toContain('Model answer');
    expect(text).toContain('Chlorophyll reflects green light.');
    // a wiki-link prints as its title, without brackets
    expect(text).toContain('Cellular respiration');
    expect(text).not.toContain('[[');
  });

  it('keeps Greek and Cyrillic text (the embedded fonts cover them)', async () => {
    const note = exportNote({
      title: 'Φωτοσύνθεση και фотосинтез',
      subject: 'Βιολογία',
      concepts: [{ term: 'Хлорофилл', explanation: 'Зелёный пигмент, поглощающий свет. Η χλωροφύλλη απορροφά φως.' }],
    });
    const { text } = await pdfText(await buildNotePdf(note));
    expect(text).toContain('Φωτοσύνθεση και фотосинтез');
    expect(text).toContain('Хлорофилл');
    expect(text).toContain('Η χλωροφύλλη απορροφά φως.');
  });

  it('makes web links clickable and leaves other schemes as text', () => {
    const content = JSON.stringify(markdownToPdfContent('[ok](https://example.com) and [bad](javascript:alert(1))'));
    expect(content).toContain('"link":"https://example.com"');
    expect(content).not.toContain('javascript:');
  });

  it('never reads a file or URL named by the Markdown', async () => {
    const note = exportNote({
      title: 'Images',
      subject: 'Art',
      extraBody: '![secret](/etc/passwd)\n\n![remote](https://example.com/a.png)',
    });
    const { text } = await pdfText(await buildNotePdf(note));
    expect(text).toContain('[secret]');
    expect(text).not.toContain('root:');
  });
});
