/**
 * Subset matching of a testee's answer against a case's expectation.
 *
 * An expected object matches when every key it names matches the actual value's
 * key (extra actual keys are ignored). Arrays match element-wise and must have
 * the same length, unless `$contains` is used. `null` expected matches `null` or
 * an absent key. An object whose keys all start with `$` is an operator:
 *
 * - `{"$type": "string"}`: JSON type (`string`, `number`, `integer`, `boolean`, `object`, `array`, `null`)
 * - `{"$regex": "^v1,"}`: a string matching the pattern
 * - `{"$gte": 1}`, `{"$lte": 2}`: numeric bounds (may be combined)
 * - `{"$contains": <expected>}`: an array with at least one element matching
 * - `{"$length": 2}`: an array or string of that length
 * - `{"$absent": true}`: the key is missing (or null)
 * - `{"$any": true}`: anything, present or not
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const OPERATORS = new Set(['$type', '$regex', '$gte', '$lte', '$contains', '$length', '$absent', '$any']);

/** True when `value` is an operator object such as `{"$type": "string"}`. */
export function isOperator(value: unknown): value is Record<string, Json> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => OPERATORS.has(k));
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * Compares `actual` with `expected`; returns the list of mismatches, each
 * prefixed with its JSON path (empty when it matches).
 */
export function match(expected: unknown, actual: unknown, path = '$'): string[] {
  if (isOperator(expected)) return matchOperator(expected, actual, path);
  if (expected === null) {
    return actual === null || actual === undefined ? [] : [`${path}: expected null, got ${show(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`];
    }
    return expected.flatMap((e, i) => match(e, actual[i], `${path}[${i}]`));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${show(actual)}`];
    }
    const record = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([key, e]) =>
      match(e, record[key], `${path}.${key}`),
    );
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

function matchOperator(op: Record<string, Json>, actual: unknown, path: string): string[] {
  if (op.$any === true) return [];
  if (op.$absent === true) {
    return actual === undefined || actual === null ? [] : [`${path}: expected absent, got ${show(actual)}`];
  }
  if (actual === undefined) return [`${path}: expected ${show(op)}, got absent`];
  const errors: string[] = [];
  if (typeof op.$type === 'string') {
    const t = typeOf(actual);
    const ok = op.$type === 'integer' ? Number.isInteger(actual) : t === op.$type;
    if (!ok) errors.push(`${path}: expected type ${op.$type}, got ${show(actual)}`);
  }
  if (typeof op.$regex === 'string') {
    if (typeof actual !== 'string' || !new RegExp(op.$regex).test(actual)) {
      errors.push(`${path}: expected a string matching /${op.$regex}/, got ${show(actual)}`);
    }
  }
  if (typeof op.$gte === 'number' && !(typeof actual === 'number' && actual >= op.$gte)) {
    errors.push(`${path}: expected a number >= ${op.$gte}, got ${show(actual)}`);
  }
  if (typeof op.$lte === 'number' && !(typeof actual === 'number' && actual <= op.$lte)) {
    errors.push(`${path}: expected a number <= ${op.$lte}, got ${show(actual)}`);
  }
  if (typeof op.$length === 'number') {
    const len = Array.isArray(actual) || typeof actual === 'string' ? actual.length : undefined;
    if (len !== op.$length) errors.push(`${path}: expected length ${op.$length}, got ${show(actual)}`);
  }
  if ('$contains' in op) {
    if (!Array.isArray(actual)) errors.push(`${path}: expected an array, got ${show(actual)}`);
    else if (!actual.some((el) => match(op.$contains, el).length === 0)) {
      errors.push(`${path}: no element matches ${show(op.$contains)} in ${show(actual)}`);
    }
  }
  return errors;
}
