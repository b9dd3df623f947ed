import path from 'node:path';

/** DejaVu: one family that covers Latin, Greek, Cyrillic and more, embedded from the package (no browser, no download). */
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const font = (file: string) => path.join(FONT_DIR, file);

export const PDF_FONTS = {
  DejaVuSans: {
    normal: font('DejaVuSans.ttf'),
    bold: font('DejaVuSans-Bold.ttf'),
    italics: font('DejaVuSans-Oblique.ttf'),
    bolditalics: font('DejaVuSans-BoldOblique.ttf'),
  },
  DejaVuSansMono: {
    normal: font('DejaVuSansMono.ttf'),
    bold: font('DejaVuSansMono-Bold.ttf'),
    italics: font('DejaVuSansMono-Oblique.ttf'),
    bolditalics: font('DejaVuSansMono-BoldOblique.ttf'),
  },
};

/** pdfmake may read these files and nothing else: a note's Markdown never makes it open a path or a URL. */
export const isFontFile = (file: string) => path.resolve(file).startsWith(FONT_DIR + path.sep);
