import './tracing';
import 'reflect-metadata';
import { bootstrapService, platformConfig, startupFailed } from '@study-buddy/nest-kit';
import { ProcessorModule } from './app.module';
import { loadProcessorEnv } from './config';

async function main() {
  const env = loadProcessorEnv();
  const config = platformConfig('processor', env, { streamPrefixes: ['job-'], usesBlobStore: true });
  await bootstrapService(ProcessorModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch(startupFailed('processor'));
