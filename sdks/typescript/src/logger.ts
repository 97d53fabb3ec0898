/** One structured log entry of the client. Never contains tokens or webhook secrets. */
export interface LogEntry {
  /** Severity. */
  level: "debug" | "info" | "warn";
  /** Short event name, e.g. `request`, `response`, `retry`. */
  msg: string;
  /** Structured fields (already redacted). */
  [field: string]: unknown;
}

/** Receives the client's log entries. */
export type Logger = (entry: LogEntry) => void;

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/whsec_[A-Za-z0-9+/=_-]+/g, "whsec_[REDACTED]"],
  [/(Bearer\s+)[^\s"',]+/gi, "$1[REDACTED]"],
  [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[REDACTED_JWT]"],
];

/** Replaces webhook secrets, bearer tokens and JWTs in `text`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

const SENSITIVE_HEADERS = new Set(["authorization", "cookie", "set-cookie", "proxy-authorization"]);

/** A copy of `headers` with credentials replaced by `[REDACTED]`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = SENSITIVE_HEADERS.has(k.toLowerCase()) ? "[REDACTED]" : redactSecrets(v);
  }
  return out;
}

const LEVELS = { debug: 10, info: 20, warn: 30 } as const;

/**
 * The logger to use: the given one, else one writing JSON lines to stderr when
 * `HOOKLINE_LOG` is `debug`, `info` or `warn`, else none.
 */
export function resolveLogger(option: Logger | false | undefined): Logger | undefined {
  if (option === false) return undefined;
  if (option) return option;
  const env = typeof process !== "undefined" ? process.env?.HOOKLINE_LOG?.toLowerCase() : undefined;
  if (!env || !(env in LEVELS)) return undefined;
  const min = LEVELS[env as keyof typeof LEVELS];
  return (entry) => {
    if (LEVELS[entry.level] >= min) console.error(JSON.stringify({ time: new Date().toISOString(), ...entry }));
  };
}
