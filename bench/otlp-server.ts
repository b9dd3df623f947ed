// The collector stand-in in its own process for bench/http.bench.ts with BENCH_TRACING: it takes the
// services' OTLP/HTTP exports as a collector would, counts the spans and keeps none (a long run would
// fill the memory). Sends its URL once listening; prints how many spans it received when stopped.
import { startFakeOtlpCollector } from '@study-buddy/testing';

void startFakeOtlpCollector({ keep: false }).then((collector) => {
  process.send?.(collector.url);
  process.once('SIGTERM', () => {
    process.stdout.write(`collector stand-in: ${collector.received} spans received\n`);
    process.exit(0);
  });
});
