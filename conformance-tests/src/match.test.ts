import { describe, expect, it } from 'vitest';
import { match } from './match.js';

describe('match', () => {
  it('accepts a subset of an object and ignores extra keys', () => {
    expect(match({ a: 1 }, { a: 1, b: 2 })).toEqual([]);
  });

  it('reports a differing value with its path', () => {
    expect(match({ a: { b: 'x' } }, { a: { b: 'y' } })).toEqual(['$.a.b: expected "x", got "y"']);
  });

  it('reports a missing key', () => {
    expect(match({ a: 1 }, {})).toHaveLength(1);
  });

  it('requires arrays of the same length, matched element-wise', () => {
    expect(match([{ a: 1 }], [{ a: 1, b: 1 }])).toEqual([]);
    expect(match([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toHaveLength(1);
    expect(match([1, 2], [2, 1])).toHaveLength(2);
  });

  it('lets null match null or an absent key, nothing else', () => {
    expect(match({ a: null }, {})).toEqual([]);
    expect(match({ a: null }, { a: null })).toEqual([]);
    expect(match({ a: null }, { a: 0 })).toHaveLength(1);
  });

  it('does not confuse 1 and "1" or true and 1', () => {
    expect(match(1, '1')).toHaveLength(1);
    expect(match(true, 1)).toHaveLength(1);
  });

  it('supports $type, $regex, $gte/$lte, $length, $contains, $absent, $any', () => {
    expect(match({ $type: 'integer' }, 3)).toEqual([]);
    expect(match({ $type: 'integer' }, 3.5)).toHaveLength(1);
    expect(match({ $type: 'string' }, null)).toHaveLength(1);
    expect(match({ $regex: '^v1,' }, 'v1,abc')).toEqual([]);
    expect(match({ $regex: '^v1,' }, 'v2,abc')).toHaveLength(1);
    expect(match({ $gte: 1, $lte: 2 }, 2)).toEqual([]);
    expect(match({ $gte: 1, $lte: 2 }, 3)).toHaveLength(1);
    expect(match({ $length: 2 }, [1, 2])).toEqual([]);
    expect(match({ $length: 2 }, [1])).toHaveLength(1);
    expect(match({ $contains: { t: 'b' } }, [{ t: 'a' }, { t: 'b' }])).toEqual([]);
    expect(match({ $contains: { t: 'c' } }, [{ t: 'a' }])).toHaveLength(1);
    expect(match({ h: { $absent: true } }, {})).toEqual([]);
    expect(match({ h: { $absent: true } }, { h: 'x' })).toHaveLength(1);
    expect(match({ h: { $any: true } }, {})).toEqual([]);
  });

  it('treats an object with ordinary keys beside $ keys as a plain object', () => {
    expect(match({ $type: 'x', other: 1 }, { $type: 'x', other: 1 })).toEqual([]);
  });
});
