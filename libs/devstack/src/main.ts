// `npm start`: the five services, an embedded S3 server, against the local NATS and PostgreSQL.
import path from 'node:path';
import { startDevStack } from './dev-stack';

async function main() {
  const workspace = path.resolve(__dirname, '../../../..');
  const stack = await startDevStack({
    workspace,
    dataDirectory: path.join(workspace, '.data'),
    basePort: Number(process.env.BASE_PORT ?? 8080),
    s3Port: Number(process.env.S3_PORT ?? 9000),
    metricsBasePort: Number(process.env.METRICS_BASE_PORT ?? 9464),
    supervise: true,
  });
  process.stdout.write(
    [
      '',
      'Study Buddy is running.',
      `  API:      ${stack.gatewayUrl}`,
      `  Health:   ${stack.gatewayUrl}/readyz`,
      `  Metrics:  ${Object.values(stack.metricsUrls).join('  ')}`,
      `  Try:      curl -X POST ${stack.gatewayUrl}/auth/register -H 'content-type: application/json' -d '{"email":"you@example.com","password":"a long password"}'`,
      'A service that crashes is restarted with back-off (1 s doubling to 30 s). Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
