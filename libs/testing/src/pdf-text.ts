import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// unpdf loads PDF.js with a dynamic import, which jest's CommonJS runtime refuses without
// --experimental-vm-modules: a plain Node child reads the PDF instead, from stdin.
const SCRIPT = `
const { extractText, getDocumentProxy } = await import(process.argv[1]);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const doc = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
const { totalPages, text } = await extractText(doc, { mergePages: true });
process.stdout.write(JSON.stringify({ pages: totalPages, text }));
`;

/** A PDF's text (all pages) and page count, as a reader extracts them: the PDF renders if this works. */
export function pdfText(pdf: Buffer | Uint8Array): Promise<{ pages: number; text: string }> {
  const unpdf = pathToFileURL(path.join(path.dirname(require.resolve('unpdf')), 'index.mjs')).href;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT, unpdf],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`PDF text extraction failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as { pages: number; text: string });
      },
    );
    child.stdin?.end(Buffer.from(pdf));
  });
}
