/**
 * A small structured JSON logger with a pino-like surface:
 * `logger.info({ webhookId }, 'created')`, `logger.child({ requestId })`.
 *
 * One JSON object per line. Fields whose name looks like a credential
 * (authorization, secret, token, password, cookie, ...) are replaced with
 * `[REDACTED]` at any depth, so a careless `logger.info({ headers })` cannot leak
 * a bearer token or a webhook secret.
 */

/** Log levels, lowest first. `silent` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured logger. */
export interface Logger {
  /** The lowest level this logger writes. */
  readonly level: LogLevel;
  debug(obj: LogFields | string, msg?: string): void;
  info(obj: LogFields | string, msg?: string): void;
  warn(obj: LogFields | string, msg?: string): void;
  error(obj: LogFields | string, msg?: string): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Defaults to `HOOKLINE_LOG_LEVEL`, else `info`. */
  level?: LogLevel;
  /** Where lines go; defaults to `process.stdout`. Tests pass a collector. */
  write?: (line: string) => void;
  /** Fields on every line. */
  bindings?: LogFields;
}

const LEVELS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

const SENSITIVE_KEY = /authorization|secret|token|password|passwd|cookie|api[-_]?key|jwt|signature/i;
const MAX_DEPTH = 8;

/** Returns `value` with every credential-looking field replaced by `[REDACTED]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (value instanceof Error) {
    const out: LogFields = { type: value.name, message: value.message };
    if (value.stack) out.stack = value.stack;
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: LogFields = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEY.test(k) && v !== undefined && v !== null ? '[REDACTED]' : redact(v, depth + 1);
  }
  return out;
}

/** Parses a level name; unknown names fall back to `info`. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const v = (value ?? '').trim().toLowerCase();
  return v in LEVELS ? (v as LogLevel) : 'info';
}

/** Creates a JSON-lines logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? parseLogLevel(process.env.HOOKLINE_LOG_LEVEL);
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  return makeLogger(level, write, options.bindings ?? {});
}

function makeLogger(level: LogLevel, write: (line: string) => void, bindings: LogFields): Logger {
  const threshold = LEVELS[level];
  const log = (lvl: Exclude<LogLevel, 'silent'>) => (obj: LogFields | string, msg?: string) => {
    if (LEVELS[lvl] < threshold) return;
    const fields = typeof obj === 'string' ? {} : obj;
    const message = typeof obj === 'string' ? obj : msg;
    const line: LogFields = {
      level: lvl,
      time: new Date().toISOString(),
      ...(redact(bindings) as LogFields),
      ...(redact(fields) as LogFields),
    };
    if (message !== undefined) line.msg = message;
    let text: string;
    try {
      text = JSON.stringify(line);
    } catch {
      text = JSON.stringify({ level: lvl, time: line.time, msg: message, note: 'unserialisable fields dropped' });
    }
    write(text + '\n');
  };
  return {
    level,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => makeLogger(level, write, { ...bindings, ...more }),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
