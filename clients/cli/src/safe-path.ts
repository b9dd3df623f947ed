import { isAbsolute, relative, resolve, sep } from 'node:path';

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
