import 'reflect-metadata';
import { bootstrapService, platformConfig } from '@study-buddy/nest-kit';
import { ProcessorModule } from './app.module';
import { loadProcessorEnv } from './config';

async function main() {
  const env = loadProcessorEnv();
  const config = platformConfig('processor', env, { streamPrefixes: ['job-'], usesBlobStore: true });
  await bootstrapService(ProcessorModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
