import 'reflect-metadata';
import { bootstrapService, platformConfig } from '@study-buddy/nest-kit';
import { VideosModule } from './app.module';
import { loadVideosEnv } from './config';

async function main() {
  const env = loadVideosEnv();
  const config = platformConfig('videos', env, { streamPrefixes: ['video-', 'playlist-'], usesBlobStore: true });
  await bootstrapService(VideosModule.forRoot(config, env), config, { port: env.PORT });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
