/**
 * `{{name}}` substitution used by end-to-end steps (saved variables) and by
 * template-expanded client cases (error codes). A string that is exactly one
 * placeholder becomes the variable's value with its JSON type; a placeholder
 * inside a longer string is replaced by the value's text. Dotted names read
 * into objects: `{{created.webhook.id}}`.
 */
import type { Json } from './match.js';

const WHOLE = /^\{\{\s*([\w.$-]+)\s*\}\}$/;
const ANY = /\{\{\s*([\w.$-]+)\s*\}\}/g;

/** Reads `a.b.0.c` from a JSON value; undefined when a step is missing. */
export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function lookup(vars: Record<string, unknown>, name: string): unknown {
  const value = getPath(vars, name);
  if (value === undefined) throw new Error(`template variable {{${name}}} is not defined`);
  return value;
}

/** Returns a deep copy of `value` with every placeholder substituted. */
export function substitute<T>(value: T, vars: Record<string, unknown>): T {
  return walk(value, vars) as T;
}

function walk(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(vars, whole[1]!);
    return value.replace(ANY, (_, name: string) => {
      const v = lookup(vars, name);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, vars)]));
  }
  return value;
}

export type { Json };
