import './tracing';
import 'reflect-metadata';
import { bootstrapService, platformConfig, startupFailed } from '@study-buddy/nest-kit';
import { NotesModule } from './app.module';
import { loadNotesEnv } from './config';

async function main() {
  const env = loadNotesEnv();
  const config = platformConfig('notes', env, { streamPrefixes: ['note-'], usesBlobStore: true });
  await bootstrapService(NotesModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch(startupFailed('notes'));
