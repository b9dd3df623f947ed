import { Readable } from 'node:stream';

interface YauzlEntry {
  fileName: string;
}
interface YauzlZip {
  readEntry(): void;
  on(event: 'entry', listener: (entry: YauzlEntry) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  openReadStream(entry: YauzlEntry, cb: (e: Error | null, stream?: Readable) => void): void;
}
// yauzl has no bundled types; this is the part of its API used here
const yauzl = require('yauzl') as {
  fromBuffer(b: Buffer, o: { lazyEntries: boolean }, cb: (e: Error | null, zip?: YauzlZip) => void): void;
};

/**
 * Every file of a zip by its path, read by yauzl (an unzipper independent of the one that wrote
 * it, and one that rejects malformed archives and unsafe paths).
 */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip'));
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, async (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
      zip.readEntry();
    });
  });
}
