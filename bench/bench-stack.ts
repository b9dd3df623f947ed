import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevStack, DevStackOptions, findFreePortRange, startDevStack } from '@study-buddy/devstack';
import { startChild } from './child';

/** The 2 KB transcript a bench submission carries when it brings its own. */
export const TRANSCRIPT = 'Photosynthesis turns light into chemical energy. '.repeat(40);

export interface BenchStack {
  /** This run's id: in its schemas, subjects, streams and the fake YouTube's video ids. */
  id: string;
  stack: DevStack;
  s3: ChildProcess;
  youtube: ChildProcess;
  stop(): Promise<void>;
}

/**
 * An isolated platform for a benchmark: the S3 stand-in, the fake YouTube (never the internet: an
 * unreachable host costs a TLS setup per submission) and, when `collector`, the OTLP collector
 * stand-in, each in its own process, then the five services (and any replicas) at LOG_LEVEL=warn.
 * `configure` gets the collector's URL. BENCH_PROFILE=<dir>: every service writes a V8 CPU profile
 * there when it stops (open in Chrome DevTools).
 */
export async function startBenchStack(
  collector: boolean,
  configure: (collectorUrl: string | undefined) => Pick<DevStackOptions, 'extraEnv' | 'replicas' | 'replicaEnv'>,
): Promise<BenchStack> {
  const id = randomBytes(3).toString('hex');
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'study-buddy-bench-'));
  const s3 = await startChild('s3-server.ts', path.join(dataDirectory, 's3'));
  process.env.S3_ENDPOINT = s3.message as string;
  const youtube = await startChild('youtube-server.ts', id);
  const otlp = collector ? await startChild('otlp-server.ts', id) : undefined;
  const { extraEnv, replicas, replicaEnv } = configure(otlp?.message as string | undefined);
  const processes = 5 + Object.values(replicas ?? {}).reduce((n, count) => n + Math.max(0, (count ?? 1) - 1), 0);
  const stack = await startDevStack({
    workspace: path.resolve(__dirname, '..'),
    dataDirectory,
    basePort: await findFreePortRange(processes),
    s3Port: 0,
    isolation: { schemaPrefix: `bench${id}_`, namespace: `bench${id}.`, streamPrefix: `BENCH${id.toUpperCase()}_` },
    output: 'files',
    replicas,
    replicaEnv,
    extraEnv: {
      LOG_LEVEL: 'warn',
      YOUTUBE_BASE_URL: youtube.message as string,
      ...(process.env.BENCH_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE}` } : {}),
      ...extraEnv,
    },
  });
  return {
    id,
    stack,
    s3: s3.child,
    youtube: youtube.child,
    stop: async () => {
      await stack.stop();
      await stack.removeData();
      for (const child of [s3.child, youtube.child, otlp?.child]) child?.kill('SIGTERM');
    },
  };
}
