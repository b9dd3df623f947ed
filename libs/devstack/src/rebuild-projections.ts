// `npm run projections:rebuild -- [service ...]`: rebuilds read models from the event store.
// Each service does its own rebuild (`main.js --rebuild-projections`), with the same environment
// variables it runs with, so this works against any deployment the shell is configured for.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { SERVICES } from '@study-buddy/contracts';

const WITH_PROJECTIONS = ['gateway', 'videos', 'notes', 'billing'];

export async function rebuildProjections(
  workspace: string,
  services: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  for (const service of services) {
    if (!(SERVICES as readonly string[]).includes(service))
      throw new Error(`Unknown service "${service}": one of ${SERVICES.join(', ')}`);
    // Asynchronous on purpose: a caller that also pipes running services' output must keep draining it.
    const child = spawn(
      process.execPath,
      [path.join(workspace, 'dist/services', service, 'src/main.js'), '--rebuild-projections'],
      { env, stdio: 'inherit' },
    );
    const code = await new Promise<number | null>((resolve, reject) =>
      child.once('error', reject).once('exit', resolve),
    );
    if (code !== 0) throw new Error(`Rebuilding the projections of ${service} failed (exit ${code})`);
  }
}

if (require.main === module) {
  const requested = process.argv.slice(2);
  rebuildProjections(path.resolve(__dirname, '../../../..'), requested.length > 0 ? requested : WITH_PROJECTIONS).catch(
    (e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
