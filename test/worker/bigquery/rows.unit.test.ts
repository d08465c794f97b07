import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  cellFor,
  columnDecoders,
  decodeRow,
  decodeScalar,
  decodeValue,
  microsToTimestamp,
  RowFormatError,
  type TableFieldSchema,
  type TableSchema,
} from '../../../worker/warehouse/bigquery/rows.ts';
import { SCALAR_TYPES } from '../../../shared/types.ts';

describe('scalar cells become the same Cells as the D1 backend', () => {
  it('keeps INT64 exact beyond 2^53, under either spelling of the type', () => {
    expect(decodeScalar('9007199254740993', 'INTEGER')).toBe('9007199254740993');
    expect(decodeScalar('-9223372036854775808', 'INT64')).toBe('-9223372036854775808');
    expect(decodeScalar('+42', 'INT64')).toBe('42');
  });

  it('writes NUMERIC as an exact decimal without trailing zeros or exponent', () => {
    expect(decodeScalar('2.250000000', 'NUMERIC')).toBe('2.25');
    expect(decodeScalar('6', 'NUMERIC')).toBe('6');
    expect(decodeScalar('-0.000000001', 'NUMERIC')).toBe('-0.000000001');
    expect(decodeScalar('99999999999999999999999999999.999999999', 'BIGNUMERIC')).toBe('99999999999999999999999999999.999999999');
    expect(canonicalDecimal('1.5E3')).toBe('1500');
    expect(canonicalDecimal('-0.0')).toBe('0');
  });

  it('reads FLOAT64 in the forms BigQuery writes, exponent and specials included', () => {
    expect(decodeScalar('6.0', 'FLOAT')).toBe(6);
    expect(decodeScalar('1.0E-5', 'FLOAT64')).toBe(0.00001);
    expect(decodeScalar('Infinity', 'FLOAT64')).toBe(Infinity);
    expect(decodeScalar('NaN', 'FLOAT64')).toBeNaN();
  });

  it('reads BOOL as a boolean', () => {
    expect(decodeScalar('true', 'BOOLEAN')).toBe(true);
    expect(decodeScalar('false', 'BOOL')).toBe(false);
  });

  it('passes DATE through and normalises DATETIME and TIME, keeping only a non-zero fraction', () => {
    expect(decodeScalar('2026-09-01', 'DATE')).toBe('2026-09-01');
    expect(decodeScalar('2026-09-01T08:15:00', 'DATETIME')).toBe('2026-09-01T08:15:00');
    expect(decodeScalar('2026-09-01 08:15:00.000000', 'DATETIME')).toBe('2026-09-01T08:15:00');
    expect(decodeScalar('2026-09-01T08:15:00.250000', 'DATETIME')).toBe('2026-09-01T08:15:00.25');
    expect(decodeScalar('08:15:00', 'TIME')).toBe('08:15:00');
    expect(decodeScalar('23:59:59.999999', 'TIME')).toBe('23:59:59.999999');
  });

  it('reads TIMESTAMP as float seconds, the API default, including exponent form', () => {
    expect(decodeScalar('1.7887113E9', 'TIMESTAMP')).toBe('2026-09-06T16:15:00Z');
    expect(decodeScalar('1614265330', 'TIMESTAMP')).toBe('2021-02-25T15:02:10Z');
    expect(decodeScalar('1614265330.123456', 'TIMESTAMP')).toBe('2021-02-25T15:02:10.123456Z');
    // The nearest double to .123456 prints as ...1234559999; rounding at the 7th digit restores it.
    expect(decodeScalar('1.6142653301234559E9', 'TIMESTAMP')).toBe('2021-02-25T15:02:10.123456Z');
    expect(decodeScalar('-1.5', 'TIMESTAMP')).toBe('1969-12-31T23:59:58.5Z');
  });

  it('reads TIMESTAMP as int64 microseconds when asked for them, and ISO text as it is', () => {
    expect(decodeScalar('1614265330123456', 'TIMESTAMP', 'int64-micros')).toBe('2021-02-25T15:02:10.123456Z');
    expect(decodeScalar('1614265330000000', 'TIMESTAMP', 'int64-micros')).toBe('2021-02-25T15:02:10Z');
    expect(decodeScalar('2021-02-25T15:02:10.500000Z', 'TIMESTAMP', 'int64-micros')).toBe('2021-02-25T15:02:10.5Z');
    expect(microsToTimestamp(-1n)).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('reads NULL as null for every type', () => {
    for (const type of ['INT64', 'NUMERIC', 'FLOAT64', 'BOOL', 'STRING', 'DATE', 'DATETIME', 'TIMESTAMP', 'TIME']) {
      expect(decodeScalar(null, type)).toBeNull();
    }
  });

  it('rejects a cell that does not match its type instead of guessing', () => {
    expect(() => decodeScalar('12a', 'INT64')).toThrow(RowFormatError);
    expect(() => decodeScalar('yes', 'BOOL')).toThrow(RowFormatError);
    expect(() => decodeScalar(12, 'INT64')).toThrow(RowFormatError);
    expect(() => decodeScalar('2026-09-01', 'DATETIME')).toThrow(RowFormatError);
  });
});

describe('nested cells', () => {
  const agents = {
    name: 'agents',
    type: 'RECORD',
    mode: 'REPEATED',
    fields: [
      { name: 'agent_id', type: 'INTEGER' },
      { name: 'logon_name', type: 'STRING' },
    ],
  } as const;

  it('reads a REPEATED RECORD as a list of objects', () => {
    const raw = [{ v: { f: [{ v: '9007199254740993' }, { v: 'CORP' }] } }, { v: { f: [{ v: '7' }, { v: null }] } }];
    expect(decodeValue(raw, agents)).toEqual([
      { agent_id: '9007199254740993', logon_name: 'CORP' },
      { agent_id: '7', logon_name: null },
    ]);
  });

  it('reads an empty or NULL REPEATED field as an empty list', () => {
    expect(decodeValue([], agents)).toEqual([]);
    expect(decodeValue(null, agents)).toEqual([]);
  });

  it('reads a REPEATED scalar and a NULL RECORD', () => {
    expect(decodeValue([{ v: 'true' }, { v: 'false' }], { name: 'flags', type: 'BOOLEAN', mode: 'REPEATED' })).toEqual([true, false]);
    expect(decodeValue(null, { name: 'r', type: 'STRUCT', fields: [{ name: 'x', type: 'INT64' }] })).toBeNull();
  });

  it('reads a RECORD inside a RECORD', () => {
    const field = {
      name: 'outer',
      type: 'RECORD',
      fields: [{ name: 'inner', type: 'RECORD', fields: [{ name: 'ts', type: 'TIMESTAMP' }] }],
    };
    expect(decodeValue({ f: [{ v: { f: [{ v: '0' }] } }] }, field)).toEqual({ inner: { ts: '1970-01-01T00:00:00Z' } });
  });

  it('decodes a whole row in schema order', () => {
    const schema: TableSchema = {
      fields: [
        { name: 'c0', type: 'STRING' },
        { name: 'c1', type: 'FLOAT' },
        { name: 'c2', type: 'BOOLEAN' },
      ],
    };
    expect(decodeRow({ f: [{ v: 'ada' }, { v: '0.5' }, { v: null }] }, schema)).toEqual(['ada', 0.5, null]);
  });
});

describe('coercion to the type the query declared', () => {
  it('turns an AVG over NUMERIC (NUMERIC in BigQuery) into the FLOAT64 the model promises', () => {
    expect(cellFor('2.5', 'FLOAT64')).toBe(2.5);
  });

  it('keeps exact strings for INT64 and NUMERIC and leaves null alone', () => {
    expect(cellFor('9007199254740993', 'INT64')).toBe('9007199254740993');
    expect(cellFor(3, 'NUMERIC')).toBe('3');
    expect(cellFor(null, 'BOOL')).toBeNull();
  });

  it('refuses a nested value where a scalar column is expected', () => {
    expect(() => cellFor([1 as never], 'INT64')).toThrow(RowFormatError);
  });
});

describe('column decoders chosen once per schema', () => {
  // Wire values of every shape a scalar cell can take, canonical or not, and some it must refuse.
  const RAW: readonly unknown[] = [
    null,
    undefined,
    '0',
    '-0',
    '+42',
    '007',
    '-12',
    '9007199254740993',
    '2.50',
    '1.5E3',
    'NaN',
    'true',
    'FALSE',
    '',
    ' ',
    'ada',
    '2026-03-31',
    '2026-03-31T08:00:00.250000',
    '2026-03-31 08:00:00',
    '08:00:00.000',
    '1774944000250000',
    '1.7749440002500E9',
    '2026-03-31T08:00:00Z',
    7,
    true,
    { f: [] },
  ];
  const WIRE_TYPES = [
    'INTEGER',
    'INT64',
    'FLOAT',
    'NUMERIC',
    'BIGNUMERIC',
    'BOOLEAN',
    'STRING',
    'DATE',
    'DATETIME',
    'TIME',
    'TIMESTAMP',
    'BYTES',
  ];
  const outcome = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (err) {
      return { error: err instanceof RowFormatError ? 'RowFormatError' : String(err) };
    }
  };

  it('gives every wire value the Cell (or the refusal) that decodeRow and cellFor give it, for every declared type', () => {
    for (const wire of WIRE_TYPES) {
      for (const declared of SCALAR_TYPES) {
        for (const timestamps of ['int64-micros', 'float-seconds'] as const) {
          const field: TableFieldSchema = { name: 'c', type: wire, mode: 'NULLABLE' };
          const [decode] = columnDecoders({ fields: [field] }, [declared], timestamps);
          for (const raw of RAW) {
            const expected = outcome(() => cellFor(decodeRow({ f: [{ v: raw }] }, { fields: [field] }, timestamps)[0]!, declared));
            expect(
              outcome(() => decode!(raw)),
              `${wire} as ${declared}, ${timestamps}: ${JSON.stringify(raw)}`,
            ).toEqual(expected);
          }
        }
      }
    }
  });

  it('decodes a REPEATED record column as decodeValue does, and refuses it for a scalar type', () => {
    const field: TableFieldSchema = { name: 'agents', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'id', type: 'INTEGER' }] };
    const [decode] = columnDecoders({ fields: [field] }, ['STRING'], 'int64-micros');
    expect(() => decode!([{ v: { f: [{ v: '1' }] } }])).toThrow(RowFormatError);
  });
});
