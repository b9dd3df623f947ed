import {
  Attributes,
  context,
  Context,
  createContextKey,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export { SpanKind };
export type { Span };

// One tracer, looked up once: the API's lookup costs microseconds a span (a proxy until the SDK starts,
// which then hands on to the real one)
let cachedTracer: Tracer | undefined;
const tracer = () => (cachedTracer ??= trace.getTracer('study-buddy'));
// W3C trace context whatever the global propagator: it is the format of our NATS headers and event metadata
const w3c = new W3CTraceContextPropagator();

/**
 * The trace context of work whose trace is not recorded (not sampled): only handed on, never made the
 * OTel context's active span, so the instrumentations (PostgreSQL, HTTP), which need a parent, skip it at
 * no cost, while what it calls or publishes keeps its caller's decision. A request that starts a trace
 * and is not sampled gets its ids only when something hands them on (most never do: a cached read).
 */
interface Unrecorded {
  traceparent?: string;
}
const unrecorded = new AsyncLocalStorage<Unrecorded>();
const carried = (): string | undefined => {
  const store = unrecorded.getStore();
  return store && (store.traceparent ??= newUnsampledTraceparent());
};
// a new trace's ids, random as W3C asks (never all zeros: 24 random bytes are that with odds of 2^-192)
const newUnsampledTraceparent = (): string => {
  const hex = randomBytes(24).toString('hex');
  return `00-${hex.slice(0, 32)}-${hex.slice(32)}-00`;
};

/**
 * The share of new traces recorded, as the SDK's root sampler was given it by startTracing; undefined
 * while tracing is off. A request that starts a trace decides here, so most never touch the SDK.
 */
let rootRatio: number | undefined;
export const setRootSampling = (ratio: number | undefined): void => void (rootRatio = ratio);
/** Set on a new trace's parent context once startServerSpan chose to record it: the SDK's root sampler keeps that. */
export const SAMPLED_HERE = createContextKey('study-buddy: the root span was sampled by its caller');
const SAMPLED_ROOT = ROOT_CONTEXT.setValue(SAMPLED_HERE, true);

/**
 * The `traceparent` of a span, else of the work in progress (its active span, or the trace it carries
 * unrecorded); undefined when there is none.
 */
export function traceparentOf(span?: Span): string | undefined {
  if (!span) {
    span = trace.getActiveSpan();
    if (!span) return carried();
  }
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  // W3C trace context, version 00 (what the propagator's inject writes, without its context objects)
  return `00-${traceId}-${spanId}-${traceFlags & TraceFlags.SAMPLED ? '01' : '00'}`;
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
      ? activeParent()
      : typeof options.parent === 'string'
        ? contextOf(options.parent)
        : options.parent;
  const span = childSpan(name, parent, options.kind ?? SpanKind.INTERNAL, options.attributes);
  try {
    return await runAs(parent, span, () => fn(span));
  } catch (e) {
    failSpan(span, e);
    throw e;
  } finally {
    span.end();
  }
}

/** A span that ends elsewhere than it starts (a pipeline step), a child of the active span. */
export function startSpan(name: string, attributes?: Attributes): Span {
  return childSpan(name, activeParent(), SpanKind.INTERNAL, attributes);
}

/** The active span's context, else that of the unrecorded trace in progress. */
function activeParent(): Context {
  const active = context.active();
  if (trace.getSpan(active)) return active;
  const traceparent = carried();
  return traceparent ? contextOf(traceparent) : active;
}

/** `fn` as the span's work: a recorded span is made active; an unrecorded one only carried (see `unrecorded`). */
function runAs<T>(parent: Context, span: Span, fn: () => T): T {
  if (span.isRecording()) return context.with(trace.setSpan(parent, span), fn);
  const traceparent = traceparentOf(span);
  return traceparent ? unrecorded.run({ traceparent }, fn) : fn();
}

/**
 * A new span under `parent`; under a parent that was not sampled, just a stand-in carrying its context
 * (what the sampler would decide anyway), so that the traces not recorded (most of them, at a low
 * ratio) cost next to nothing.
 */
function childSpan(name: string, parent: Context, kind: SpanKind, attributes?: Attributes): Span {
  const parentContext = trace.getSpanContext(parent);
  if (parentContext && trace.isSpanContextValid(parentContext) && !(parentContext.traceFlags & TraceFlags.SAMPLED))
    return trace.wrapSpanContext(parentContext);
  return tracer().startSpan(name, { kind, attributes }, parent);
}

/** Runs `fn` with `span` active (its children nest under it). */
export const withActiveSpan = <T>(span: Span, fn: () => T): T => runAs(context.active(), span, fn);

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
export const hasActiveSpan = (): boolean => trace.getActiveSpan() !== undefined || unrecorded.getStore() !== undefined;

/** A parent for work that continues no trace (an event published with none): a trace of its own. */
export const ROOT_TRACE: Context = ROOT_CONTEXT;

/**
 * The server span of one HTTP request, continuing the caller's `traceparent` header (W3C), with the
 * HTTP semantic-convention attributes (asked for only when the span is recorded); the caller ends it with
 * `endServerSpan`. `run` runs the rest of the request's handling inside it. No span with tracing off, or
 * when the request starts a trace that is not sampled: that costs a random number and a context to carry.
 */
export function startServerSpan(
  name: string,
  traceparent: string | undefined,
  attributes: () => Attributes,
): { span?: Span; run: <T>(fn: () => T) => T } {
  if (rootRatio === undefined) return { run: (fn) => fn() };
  if (traceparent === undefined && !(Math.random() < rootRatio)) return { run: (fn) => unrecorded.run({}, fn) };
  const parent = traceparent === undefined ? SAMPLED_ROOT : contextOf(traceparent);
  const span = childSpan(name, parent, SpanKind.SERVER);
  if (span.isRecording()) span.setAttributes(attributes());
  return { span, run: (fn) => runAs(parent, span, fn) };
}

export function endServerSpan(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
