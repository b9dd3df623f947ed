import { closeSync, constants, existsSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Where an archive entry goes inside `root`, or undefined when it cannot go anywhere safe. The name is
 * taken apart on both slash kinds; empty, `.` and `..` segments, drive letters and characters no file
 * system wants are dropped, and the result is checked to lie inside root all the same.
 */
export function safeEntryPath(root: string, entryName: string): string | undefined {
  const segments = entryName
    .split(/[/\\]+/)
    .map((segment) =>
      segment
        .replace(/^[A-Za-z]:$/, '')
        // eslint-disable-next-line no-control-regex
        .replace(/[\x00-\x1f\x7f<>:"|?*]/g, '')
        .trim(),
    )
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (segments.length === 0) return undefined;
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return target;
}

/** A file that would be written outside the folder it belongs in (through a symlink found on the way). */
export class UnsafeTargetError extends Error {
  constructor(readonly target: string) {
    super(`${target} is not inside the export folder (a symbolic link on the way): nothing more written`);
    this.name = 'UnsafeTargetError';
  }
}

/** The closest of `path` and its parents that exists. */
function nearestExisting(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Writes `bytes` to `target`, a path inside `root` (from safeEntryPath), only where it really is
 * inside root: the folders on the way are resolved (realpath) before and after they are made, so a
 * symbolic link in the vault pointing elsewhere is refused, and the file is opened with O_NOFOLLOW,
 * so a symbolic link in the file's place is not followed either (ELOOP).
 */
export function writeInside(root: string, target: string, bytes: Uint8Array): void {
  const realRoot = realpathSync(root);
  const folder = dirname(target);
  if (!inside(realRoot, realpathSync(nearestExisting(folder)))) throw new UnsafeTargetError(target);
  mkdirSync(folder, { recursive: true });
  if (!inside(realRoot, realpathSync(folder))) throw new UnsafeTargetError(target);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  let fd: number;
  try {
    fd = openSync(target, flags, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafeTargetError(target);
    throw error;
  }
  try {
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at);
  } finally {
    closeSync(fd);
  }
}
