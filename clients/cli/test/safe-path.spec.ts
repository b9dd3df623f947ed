import { join, resolve } from 'node:path';
import { planVault } from '../src/commands/export';
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
