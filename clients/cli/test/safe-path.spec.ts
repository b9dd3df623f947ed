import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planVault, writeVault } from '../src/commands/export';
import { CliError } from '../src/exit-codes';
import { safeEntryPath } from '../src/safe-path';

const root = resolve('/tmp/vault');

describe('archive entry paths', () => {
  it('keep ordinary names inside the folder', () => {
    expect(safeEntryPath(root, 'Biology/Photosynthesis.md')).toBe(join(root, 'Biology', 'Photosynthesis.md'));
    expect(safeEntryPath(root, 'Index.md')).toBe(join(root, 'Index.md'));
  });

  it('cannot escape the folder', () => {
    expect(safeEntryPath(root, '../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(safeEntryPath(root, '/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(safeEntryPath(root, '..\\..\\x.md')).toBe(join(root, 'x.md'));
    expect(safeEntryPath(root, 'C:/Windows/x.md')).toBe(join(root, 'Windows', 'x.md'));
    expect(safeEntryPath(root, 'a/./b/../c.md')).toBe(join(root, 'a', 'b', 'c.md'));
    expect(safeEntryPath(root, 'bad\u0000name\u001b[31m.md')).toBe(join(root, 'badname[31m.md'));
  });

  it('have no file at all for names that are nothing but dots and slashes', () => {
    for (const name of ['', '/', '..', '../..', './', '\\']) expect(safeEntryPath(root, name)).toBeUndefined();
  });

  it('a vault plan skips folders and unsafe entries', () => {
    const bytes = new Uint8Array([1]);
    const plan = planVault(root, { 'Biology/': bytes, 'Biology/A.md': bytes, '../': bytes, '..': bytes });
    expect(plan.files.map((f) => f.target)).toEqual([join(root, 'Biology', 'A.md')]);
    expect(plan.skipped).toEqual(['..']);
  });
});

describe('writing a vault', () => {
  let base: string;
  let vault: string;
  let outside: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'sb-vault-'));
    vault = join(base, 'vault');
    outside = join(base, 'outside');
    mkdirSync(vault);
    mkdirSync(outside);
  });
  const plan = (entries: Record<string, string>) =>
    planVault(vault, Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)])))
      .files;

  it('writes the files into the folder', () => {
    writeVault(vault, plan({ 'Biology/A.md': 'a', 'Index.md': 'i' }));
    expect(readFileSync(join(vault, 'Biology', 'A.md'), 'utf8')).toBe('a');
    expect(readFileSync(join(vault, 'Index.md'), 'utf8')).toBe('i');
  });

  it('refuses a subfolder that is a symbolic link to somewhere else, and writes nothing there', () => {
    symlinkSync(outside, join(vault, 'Biology'));
    expect(() => writeVault(vault, plan({ 'Biology/A.md': 'a' }))).toThrow(CliError);
    expect(() => writeVault(vault, plan({ 'Biology/Deeper/A.md': 'a' }))).toThrow(/not inside the export folder/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('does not follow a symbolic link in the place of a file', () => {
    writeFileSync(join(outside, 'secret'), 'keep');
    symlinkSync(join(outside, 'secret'), join(vault, 'Index.md'));
    expect(() => writeVault(vault, plan({ 'Index.md': 'overwritten' }))).toThrow(CliError);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('keep');
  });

  it('a symbolic link inside the folder to a folder inside it is fine', () => {
    mkdirSync(join(vault, 'Real'));
    symlinkSync(join(vault, 'Real'), join(vault, 'Alias'));
    writeVault(vault, plan({ 'Alias/A.md': 'a' }));
    expect(readFileSync(join(vault, 'Real', 'A.md'), 'utf8')).toBe('a');
  });

  it('refuses a vault whose entries come to the same file', () => {
    expect(() => plan({ 'Biology/A:B.md': '1', 'Biology/AB.md': '2' })).toThrow(/two entries for the same file/);
    expect(() => plan({ 'a/c.md': '1', '../a/c.md': '2' })).toThrow(CliError);
  });
});
