import { describe, expect, it } from 'vitest';
import { substitute } from './template.js';

describe('substitute', () => {
  it('keeps the JSON type of a whole-string placeholder', () => {
    expect(substitute({ status: '{{s}}', list: ['{{o}}'] }, { s: 429, o: { a: 1 } })).toEqual({ status: 429, list: [{ a: 1 }] });
  });

  it('interpolates placeholders inside longer strings and reads dotted names', () => {
    expect(substitute('req_{{code}} {{w.id}}', { code: 'NOT_FOUND', w: { id: 'x' } })).toBe('req_NOT_FOUND x');
  });

  it('throws on an undefined variable instead of sending the placeholder', () => {
    expect(() => substitute({ a: '{{missing}}' }, {})).toThrow(/missing/);
  });
});
