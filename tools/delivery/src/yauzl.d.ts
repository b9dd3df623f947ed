// The part of yauzl 3 the helm extraction uses (the package ships no types).
declare module 'yauzl' {
  import type { Readable } from 'node:stream';
  interface Entry {
    fileName: string;
  }
  interface ZipFile {
    eachEntry(): AsyncIterable<Entry>;
    openReadStreamPromise(entry: Entry): Promise<Readable>;
    close(): void;
  }
  export function openPromise(path: string): Promise<ZipFile>;
}
