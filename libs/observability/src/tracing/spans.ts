import {
  Attributes,
  context,
  Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export { SpanKind };
export type { Span };

const tracer = () => trace.getTracer('study-buddy');
// W3C trace context whatever the global propagator: it is the format of our NATS headers and event metadata
const w3c = new W3CTraceContextPropagator();

/** The `traceparent` of a span's context, or of the active one; undefined when there is none (tracing off). */
export function traceparentOf(span: Span | undefined = trace.getActiveSpan()): string | undefined {
  if (!span || !trace.isSpanContextValid(span.spanContext())) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/** The context a `traceparent` (from a NATS header or an event's metadata) continues; the root without one. */
export function contextOf(traceparent: string | undefined): Context {
  return traceparent ? w3c.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter) : ROOT_CONTEXT;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Whose child: a `traceparent` from elsewhere (NATS, an event), or the active span when absent. */
  parent?: string | Context;
}

/**
 * Runs `fn` in a span of ours, for what no instrumentation sees (NATS requests and replies, relay
 * publishes, deliveries, pipeline steps, Claude calls); made active, so spans and logs inside are its
 * children. A throw marks the span failed and is rethrown. With tracing off, `fn` just runs.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent =
    options.parent === undefined
      ? context.active()
      : typeof options.parent === 'string'
        ? contextOf(options.parent)
        : options.parent;
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e) {
    failSpan(span, e);
    throw e;
  } finally {
    span.end();
  }
}

/** A span that ends elsewhere than it starts (a pipeline step), a child of the active span. */
export function startSpan(name: string, attributes?: Attributes): Span {
  return tracer().startSpan(name, { attributes }, context.active());
}

/** Runs `fn` with `span` active (its children nest under it). */
export const withActiveSpan = <T>(span: Span, fn: () => T): T =>
  context.with(trace.setSpan(context.active(), span), fn);

export function failSpan(span: Span, e: unknown): void {
  span.recordException(e instanceof Error ? e : String(e));
  span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
}

/** The active span's ids, for log lines (undefined with tracing off or outside any span). */
export function activeSpanIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { traceId, spanId } : undefined;
}

let shutdown: (() => Promise<void>) | undefined;
/** Set by startTracing: how the process flushes its spans as it stops. */
export const onTracingShutdown = (flush: () => Promise<void>) => void (shutdown = flush);
/** Flushes the spans still buffered (a no-op with tracing off); the last step of a graceful shutdown. */
export const shutdownTracing = async (): Promise<void> => shutdown?.();

/** Whether a span is active: a caller in a request or delivery continues it rather than its context's. */
export const hasActiveSpan = (): boolean => trace.getActiveSpan() !== undefined;

/** Renames the active span (an HTTP server span, once the route is known) and adds attributes. */
export function nameActiveSpan(name: string, attributes?: Attributes): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(name);
  if (attributes) span.setAttributes(attributes);
}

/** A parent for work that continues no trace (an event published with none): a trace of its own. */
export const ROOT_TRACE: Context = ROOT_CONTEXT;
