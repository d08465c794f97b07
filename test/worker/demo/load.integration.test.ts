// Integration: the loader's SQL literals against a real (local) D1, compared with bound parameters.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlLiteral } from '../../../worker/demo/load.ts';
import { createTableStatements } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import { VIEWS } from '../../../shared/views/index.ts';

const TEXTS = [
  '',
  "O'Brien",
  "''",
  '"double" quotes',
  'back\\slash',
  'a\u0000b',
  '\u0000',
  'line1\nline2',
  'crlf\r\n',
  'tab\there',
  '\u007f delete',
  'emoji 😀 and 🇺🇸',
  '日本語のタイトル',
  'Nguyễn Thị Lan',
  'lone \ud800 high surrogate',
  'lone \udc00 low surrogate',
  '\u2028line separator\u2029',
  "=cmd|' /C calc'!A0",
  '+1 212 555 0100',
  '-- not a comment',
  "'); DROP TABLE t; --",
  '?1 :name @p $x',
];
const NUMBERS = [0, -1, 1, 2 ** 31 - 1, -(2 ** 31), Number.MAX_SAFE_INTEGER, 1.5, -0.1, 1e-7, 123456.789, 1e21];

describe('sqlLiteral', () => {
  // Typed columns, as in the demo tables: D1 binds every JS number as REAL and relies on
  // column affinity to store integers as INTEGER, so an untyped column would differ.
  const columnFor = (v: string | number | null) => (typeof v === 'number' ? (Number.isInteger(v) ? 'n' : 'r') : 't');

  beforeAll(async () => {
    await env.DB.exec('CREATE TABLE IF NOT EXISTS lit (i INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL)');
  });

  it('reads back exactly what the same value bound as a parameter reads back', async () => {
    const values = [null, ...TEXTS, ...NUMBERS];
    await env.DB.exec(values.map((v, i) => `INSERT INTO lit (i, ${columnFor(v)}) VALUES (${i}, ${sqlLiteral(v)});`).join('\n'));
    await env.DB.batch(values.map((v, i) => env.DB.prepare(`INSERT INTO lit (i, ${columnFor(v)}) VALUES (?, ?)`).bind(1000 + i, v)));
    const { results } = await env.DB.prepare(
      `SELECT i, coalesce(t, n, r) AS value, typeof(coalesce(t, n, r)) AS type, hex(coalesce(t, n, r)) AS hex
       FROM lit ORDER BY i`,
    ).all<{ i: number; value: unknown; type: string; hex: string }>();
    const byId = new Map(results.map(({ i, ...rest }) => [i, rest]));
    values.forEach((v, i) => {
      expect(byId.get(i), JSON.stringify(v)).toEqual(byId.get(1000 + i));
      // Well-formed text comes back unchanged, NUL and line breaks included.
      if (typeof v === 'string' && !/lone/.test(v)) expect(byId.get(i)?.value).toBe(v);
    });
  });

  it('never emits a line break, which would split a statement in exec()', () => {
    // eslint-disable-next-line no-control-regex -- a NUL is one of the characters that must not appear
    for (const v of TEXTS) expect(sqlLiteral(v)).not.toMatch(/[\n\r\u0000]/);
  });

  it('doubles single quotes and uses a blob cast only where it must', () => {
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral('emoji 😀')).toBe("'emoji 😀'");
    expect(sqlLiteral('a\nb')).toBe("CAST(X'610A62' AS TEXT)");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('1');
  });

  it('refuses numbers SQLite cannot store', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(/NaN/);
    expect(() => sqlLiteral(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
  });
});

describe('createTableStatements', () => {
  it('makes STRICT tables that reject a value in the wrong storage class, and enforce the row key', async () => {
    await env.DB.batch(createTableStatements('strict_check', VIEWS.user_group_core_activity).map((s) => env.DB.prepare(s)));
    const insert = `INSERT INTO "${tableName('strict_check', 'user_group_core_activity')}" (account_id, activity_id, group_id, row_id) VALUES (?, ?, ?, ?)`;
    await env.DB.prepare(insert).bind(1, 1001, 5101, 1).run();
    await expect(env.DB.prepare(insert).bind(1, 'Software Development', 5101, 2).run()).rejects.toThrow(
      /cannot store TEXT value in INTEGER column/i,
    );
    await expect(env.DB.prepare(insert).bind(1, 1002, 5101, 1).run()).rejects.toThrow(/UNIQUE/i);
  });

  it('refuses a dataset name that is not a safe identifier', () => {
    expect(() => tableName('Acme', 'events')).toThrow(/dataset/);
    expect(() => tableName('a"; DROP', 'events')).toThrow(/dataset/);
    expect(tableName('acme', 'events')).toBe('acme__events');
  });
});
