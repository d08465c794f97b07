import { describe, expect, it } from 'vitest';
import {
  CHANGES_LIMIT,
  DELIVERIES_LIMIT,
  FEED_PARAMS,
  filterSpec,
  FILTER_OPS,
  hasOperator,
  LIMITS,
  NOT_COLUMNS,
  NOT_FOR_FEEDS,
  readLimit,
  RESERVED_PARAMS,
  rowKeyId,
  TEXT_ONLY_OPS,
} from '../../shared/query-vocabulary.ts';

const RANGE = { default: 25, max: 200 };

describe('readLimit', () => {
  it.each([undefined, null, '', '   '])('reads %j as the default, since form tools send empty fields', (raw) => {
    expect(readLimit(raw, RANGE)).toEqual({ ok: true, limit: 25, defaulted: true });
  });

  it.each([
    ['1', 1],
    ['200', 200],
    ['007', 7],
    [' 42 ', 42],
  ])('accepts %j as %i', (raw, limit) => {
    expect(readLimit(raw, RANGE)).toEqual({ ok: true, limit, defaulted: false });
  });

  it.each(['0', '000', '-1', '+5', '1.5', '1.0', '1e1', '0x10', '0b11', 'ten', '1 0', '١٢', 'Infinity', 'NaN'])(
    'refuses %j, naming the allowed range',
    (raw) => {
      const reading = readLimit(raw, RANGE);
      expect(reading).toMatchObject({ ok: false, tooLarge: false });
      expect(!reading.ok && reading.detail).toBe(`limit must be a whole number from 1 to 200; got '${raw}'.`);
    },
  );

  it.each([
    ['201', '201'],
    ['0201', '201'],
    ['99999999999999999999999', '99999999999999999999999'],
  ])('refuses %j as too large, naming the maximum', (raw, given) => {
    expect(readLimit(raw, RANGE)).toEqual({ ok: false, tooLarge: true, given, detail: `limit is at most 200; got ${given}.` });
  });

  it('shortens a long value it quotes', () => {
    const reading = readLimit('x'.repeat(500), RANGE);
    expect(!reading.ok && reading.detail.length).toBeLessThan(120);
  });

  it('has ranges whose defaults lie within them', () => {
    for (const range of [CHANGES_LIMIT, DELIVERIES_LIMIT, { default: LIMITS.defaultPageSize, max: LIMITS.maxPageSize }]) {
      expect(range.default).toBeGreaterThanOrEqual(1);
      expect(range.default).toBeLessThanOrEqual(range.max);
    }
  });
});

describe('filter operators', () => {
  it('lists each operator once, the text-only ones among them', () => {
    expect(new Set(FILTER_OPS).size).toBe(FILTER_OPS.length);
    for (const op of TEXT_ONLY_OPS) expect(FILTER_OPS).toContain(op);
  });

  it('reads a plain value as equality and passes one with an operator as written', () => {
    for (const op of FILTER_OPS) {
      expect(hasOperator(`${op}.x`)).toBe(true);
      expect(hasOperator(`not.${op}.x`)).toBe(true);
    }
    expect(filterSpec('Productive')).toBe('eq.Productive');
    expect(filterSpec('not.in.(1,2)')).toBe('not.in.(1,2)');
    expect(filterSpec('is')).toBe('eq.is');
    expect(filterSpec('not.x')).toBe('eq.not.x');
  });
});

describe('parameter names', () => {
  it('refuses as a column every name /rows or /changes reads as a parameter', () => {
    for (const name of [...RESERVED_PARAMS, ...FEED_PARAMS]) expect(NOT_COLUMNS).toContain(name);
    expect(new Set(NOT_COLUMNS).size).toBe(NOT_COLUMNS.length);
  });

  it('names only /rows parameters as the ones a feed refuses, never limit or select', () => {
    for (const name of NOT_FOR_FEEDS) expect(RESERVED_PARAMS).toContain(name);
    expect(NOT_FOR_FEEDS).not.toContain('limit');
    expect(NOT_FOR_FEEDS).not.toContain('select');
  });
});

describe('rowKeyId', () => {
  it('joins key values with |, escaping \\ and | and writing NULL as \\N, so different keys never meet', () => {
    expect(rowKeyId([1042, '2026-11-19'])).toBe('1042|2026-11-19');
    expect(rowKeyId(['a|b', null])).toBe('a\\|b|\\N');
    expect(rowKeyId(['a', 'b|c'])).not.toBe(rowKeyId(['a|b', 'c']));
    expect(rowKeyId(['\\N'])).not.toBe(rowKeyId([null]));
    expect(rowKeyId([undefined])).toBe('\\N');
  });
});
