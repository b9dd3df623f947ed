import type { Command } from 'commander';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { unwrap } from '@study-buddy/api-client';
import { action } from '../command';
import { Context } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { safeEntryPath, UnsafeTargetError, writeInside } from '../safe-path';

async function download(ctx: Context, path: '/exports/obsidian' | '/exports/anki', query: Record<string, string>) {
  const bytes = unwrap(await ctx.client.GET(path, { params: { query }, parseAs: 'arrayBuffer' }));
  return new Uint8Array(bytes as unknown as ArrayBuffer);
}

/**
 * The files of a vault, each with where it goes under `root`; an entry that would land outside is
 * left out. Two entries whose names come to the same file (`a:b.md` and `ab.md`) refuse the whole
 * vault: one would silently overwrite the other.
 */
export function planVault(root: string, entries: Record<string, Uint8Array>) {
  const files: { name: string; target: string; bytes: Uint8Array }[] = [];
  const skipped: string[] = [];
  const taken = new Map<string, string>();
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue; // a folder: made for its files
    const target = safeEntryPath(root, name);
    if (!target) {
      skipped.push(name);
      continue;
    }
    const other = taken.get(target);
    if (other !== undefined)
      throw new CliError(
        EXIT.unexpected,
        `The vault has two entries for the same file, ${JSON.stringify(other)} and ${JSON.stringify(name)}: nothing written`,
      );
    taken.set(target, name);
    files.push({ name, target, bytes });
  }
  return { files, skipped };
}

/** Writes a planned vault's files, each only where it really is inside root (see writeInside). */
export function writeVault(root: string, files: { target: string; bytes: Uint8Array }[]): void {
  mkdirSync(root, { recursive: true });
  for (const file of files) {
    try {
      writeInside(root, file.target, file.bytes);
    } catch (error) {
      if (error instanceof UnsafeTargetError)
        throw new CliError(EXIT.usage, `${relative(root, file.target)}: ${error.message}`);
      throw error;
    }
  }
}

async function exportObsidian(ctx: Context, directory: string, options: { subject?: string; force?: boolean }) {
  const root = resolve(directory);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new CliError(EXIT.usage, `${directory} is not a folder`);
  await ctx.requireLogin();
  const zip = await download(ctx, '/exports/obsidian', options.subject ? { subject: options.subject } : {});
  const { files, skipped } = planVault(root, unzipSync(zip));
  const existing = files.filter((f) => existsSync(f.target));
  if (existing.length > 0 && !options.force)
    throw new CliError(
      EXIT.usage,
      `${directory} already has ${existing.length} of the vault's files (e.g. ${relative(root, existing[0].target)}): nothing written; --force overwrites them`,
    );
  writeVault(root, files);
  for (const name of skipped) ctx.out.warn(`left out an entry with an unsafe name: ${JSON.stringify(name)}`);
  const written = files.map((f) => relative(root, f.target));
  if (ctx.out.json) ctx.out.result({ directory: root, files: written, skipped });
  else ctx.out.line(`Wrote ${written.length} files to ${directory}`);
}

async function exportAnki(ctx: Context, file: string, options: { subject?: string; force?: boolean; format?: string }) {
  const format = options.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'apkg');
  if (format !== 'apkg' && format !== 'csv') throw new CliError(EXIT.usage, '--format must be apkg or csv');
  const target = resolve(file);
  if (existsSync(target) && !options.force)
    throw new CliError(EXIT.usage, `${file} exists: nothing written; --force overwrites it`);
  await ctx.requireLogin();
  const bytes = await download(ctx, '/exports/anki', {
    format,
    ...(options.subject ? { subject: options.subject } : {}),
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  if (ctx.out.json) ctx.out.result({ file: target, format, bytes: bytes.byteLength });
  else
    ctx.out.line(
      `Wrote ${format === 'csv' ? 'a CSV deck' : 'an Anki package'} of ${bytes.byteLength} bytes to ${file}`,
    );
}

export function exportCommand(program: Command): void {
  const exporter = program.command('export').description('download your notes as an Obsidian vault or an Anki deck');
  exporter
    .command('obsidian')
    .description('write the Obsidian vault (a folder per subject) into <dir>')
    .argument('<dir>', 'the vault folder (made if missing)')
    .option('--subject <subject>', 'only this subject')
    .option('--force', "overwrite the vault's files that are already there")
    .action(action(exportObsidian));
  exporter
    .command('anki')
    .description('write an Anki package (.apkg) or a CSV deck to <file>')
    .argument('<file>', 'where to write it')
    .option('--format <format>', 'apkg or csv (default: from the file name, else apkg)')
    .option('--subject <subject>', 'only this subject')
    .option('--force', 'overwrite the file')
    .action(action(exportAnki));
}
