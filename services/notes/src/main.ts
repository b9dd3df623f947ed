import 'reflect-metadata';
import { bootstrapService, platformConfig } from '@study-buddy/nest-kit';
import { NotesModule } from './app.module';
import { loadNotesEnv } from './config';

async function main() {
  const env = loadNotesEnv();
  const config = platformConfig('notes', env, { streamPrefixes: ['note-'], usesBlobStore: true });
  await bootstrapService(NotesModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
