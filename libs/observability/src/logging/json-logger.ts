import type { LoggerService, LogLevel } from '@nestjs/common';
import { activeSpanIds } from '../tracing/spans';
import { currentLogContext } from './log-context';
import { redactDeep } from './redact';

type Write = (line: string, level: LogLevel) => void;
const standardStreams: Write = (line, level) =>
  (level === 'error' || level === 'fatal' ? process.stderr : process.stdout).write(`${line}\n`);

/**
 * One JSON object per line (LOG_FORMAT=json), for log collectors: `time`, `level`, `service`,
 * `context` (the Nest logger's name), `msg`, and where known `trace_id`/`span_id` (the active span),
 * `request_id`, `correlation_id` and `user_id` (the work the line belongs to), `err` (a stack). An
 * object logged as the message adds its fields (the access log). Secrets' shapes are masked.
 */
export class JsonLogger implements LoggerService {
  private levels: Set<LogLevel>;

  constructor(
    private readonly service: string,
    levels: LogLevel[],
    private readonly write: Write = standardStreams,
  ) {
    this.levels = new Set(levels);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.print('log', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.print('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.print('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.print('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.print('fatal', message, rest);
  }
  /** Nest's convention: `error(message, stack?, context?)`. */
  error(message: unknown, ...rest: unknown[]): void {
    const stack = rest.length >= 2 && typeof rest[0] === 'string' ? rest.shift() : undefined;
    this.print('error', message, rest, stack as string | undefined);
  }

  private print(level: LogLevel, message: unknown, rest: unknown[], stack?: string): void {
    if (!this.levels.has(level)) return;
    // Nest's Logger passes its name last
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? String(rest.pop()) : undefined;
    const ids = activeSpanIds();
    const work = currentLogContext();
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      ...(context ? { context } : {}),
      ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}),
      ...(work?.requestId ? { request_id: work.requestId } : {}),
      ...(work?.correlationId ? { correlation_id: work.correlationId } : {}),
      ...(work?.userId ? { user_id: work.userId } : {}),
    };
    if (message instanceof Error) {
      line.msg = message.message;
      line.err = message.stack;
    } else if (message !== null && typeof message === 'object') Object.assign(line, message);
    else line.msg = String(message);
    if (stack) line.err = stack;
    if (rest.length > 0) line.extra = rest.map((r) => (r instanceof Error ? r.message : r));
    let text: string;
    try {
      text = JSON.stringify(redactDeep(line));
    } catch {
      // a circular object: its message alone
      text = JSON.stringify(redactDeep({ ...line, extra: undefined, msg: String(line.msg) }));
    }
    this.write(text, level);
  }
}
