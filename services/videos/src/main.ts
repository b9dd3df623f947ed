import './tracing';
import 'reflect-metadata';
import { bootstrapService, platformConfig, startupFailed } from '@study-buddy/nest-kit';
import { VideosModule } from './app.module';
import { loadVideosEnv } from './config';

async function main() {
  const env = loadVideosEnv();
  const config = platformConfig('videos', env, { streamPrefixes: ['video-', 'playlist-'], usesBlobStore: true });
  await bootstrapService(VideosModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch(startupFailed('videos'));
