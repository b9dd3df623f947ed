// The first import of main.ts: the instrumentations patch http, pg and undici before anything loads them.
import { startTracing } from '@study-buddy/observability/tracing';

startTracing('notes');
