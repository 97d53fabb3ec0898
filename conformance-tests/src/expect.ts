/** Compares a testee's answer with a case's `expect`. */
import type { Expect } from './cases.js';
import { match } from './match.js';
import type { TesteeResponse } from './testee.js';

/** Compares an answer with a case's `expect`; returns mismatches. */
export function checkExpect(expect: Expect, got: TesteeResponse): string[] {
  if (expect.ok !== got.ok) {
    const what = got.ok ? `result ${JSON.stringify(got.result)}` : `error ${JSON.stringify(got.error)}`;
    return [`expected ok=${expect.ok}, got ok=${got.ok}: ${what.slice(0, 400)}`];
  }
  if (got.ok) return expect.result === undefined ? [] : match(expect.result, got.result, '$.result');
  return expect.error === undefined ? [] : match(expect.error, got.error, '$.error');
}
