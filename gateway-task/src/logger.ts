/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Ids, counts, codes — never message content or user names. */
export type LogContext = Record<string, unknown>;

/** A structured logger: one JSON object per line. */
export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
  /** A logger that adds `context` to every line. */
  child(context: LogContext): Logger;
}

export interface JsonLoggerOptions {
  level?: LogLevel;
  /** Where lines go; stdout by default (ECS ships it to CloudWatch Logs). */
  write?: (line: string) => void;
  now?: () => number;
  service?: string;
}

// Keys that could carry what members wrote or who they are. The bridge only logs ids, but a
// future call site passing a raw payload must not leak it.
const REDACTED_KEYS = new Set(['content', 'username', 'global_name', 'globalName', 'nick', 'token', 'embeds', 'attachments']);
const MAX_DEPTH = 4;

function sanitize(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    const err: Record<string, unknown> = { name: value.name, message: value.message, stack: value.stack };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) err.code = code;
    return err;
  }
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (depth >= MAX_DEPTH) return '[object]';
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = REDACTED_KEYS.has(k) ? '[redacted]' : sanitize(v, depth + 1);
  return out;
}

/**
 * A JSON-lines logger in the shape the Lambdas' Powertools logger writes (`level`, `message`,
 * `timestamp`, `service`, then context keys), so one CloudWatch Logs Insights query reads both.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}, context: LogContext = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const service = options.service ?? 'gateway-task';

  const log = (level: LogLevel, message: string, extra?: LogContext) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const fields = sanitize({ ...context, ...extra }, 0) as LogContext;
    const line = { level: level.toUpperCase(), message, timestamp: new Date(now()).toISOString(), service, ...fields };
    let text: string;
    try {
      text = JSON.stringify(line);
    } catch {
      // A cyclic context must not take the process down with it.
      text = JSON.stringify({ level: line.level, message, timestamp: line.timestamp, service, note: 'context not serialisable' });
    }
    write(text);
  };

  return {
    debug: (m, c) => log('debug', m, c),
    info: (m, c) => log('info', m, c),
    warn: (m, c) => log('warn', m, c),
    error: (m, c) => log('error', m, c),
    child: (c) => createJsonLogger(options, { ...context, ...c }),
  };
}

/** A logger that drops everything (library default when none is given). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
