// The cell writers take shortcuts for the common cell (text with nothing to quote, escape or
// neutralise); these properties hold them to the full rules, written out plainly here, for
// every column type and any text, so an export's bytes cannot drift from what the rules say.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScalarType } from '../../../shared/types.ts';
import { csvWriter, jsonWriter, spreadsheetWriter } from '../../../worker/format/cells.ts';
import { ENCODERS } from '../../../worker/format/encoders.ts';
import type { Cell } from '../../../worker/warehouse/types.ts';

const TYPES: readonly ScalarType[] = ['STRING', 'INT64', 'NUMERIC', 'FLOAT64', 'BOOL', 'DATE', 'DATETIME', 'TIME', 'TIMESTAMP'];
const DECIMAL = /^-?\d+(\.\d+)?$/;
const leadingTrigger = (t: string) => (t.length > 0 && '=+-@\t\r'.includes(t[0]!) ? `'${t}` : t);

const json = (cell: Cell, type: ScalarType): string => {
  if (cell === null) return 'null';
  if (typeof cell === 'string') return (type === 'INT64' || type === 'NUMERIC') && DECIMAL.test(cell) ? cell : JSON.stringify(cell);
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : 'null';
  return String(cell);
};
const spreadsheet = (cell: Cell, type: ScalarType): string => {
  if (cell === null) return '""';
  return type === 'STRING' && typeof cell === 'string' ? JSON.stringify(leadingTrigger(cell)) : json(cell, type);
};
const csv = (cell: Cell, type: ScalarType): string => {
  if (cell === null) return '';
  let text = String(cell);
  if (type === 'STRING') text = leadingTrigger(text).replace(/([,;\t|\r\n])([=+\-@\t\r])/g, "$1'$2");
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.stringMatching(/^[=+\-@\t\r",;|\n'a-z0-9.\\]{0,12}$/),
  fc.constantFrom('', '-1', '007', '1.50', '=1+2', 'a;=b', 'x|@y', '\ud800', '\udc00x', '\u2028', '"'),
);
const cell: fc.Arbitrary<Cell> = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
const typed = fc.tuple(fc.constantFrom(...TYPES), cell);

describe('cell writers', () => {
  it('write csv fields as RFC 4180 quoting and formula neutralising say, for any cell of any type', () => {
    fc.assert(
      fc.property(typed, ([type, c]) => {
        expect(csvWriter(type)(c)).toBe(csv(c, type));
      }),
      { numRuns: 5000 },
    );
  });

  it('write JSON cells as JSON.stringify does, INT64 and NUMERIC decimals bare', () => {
    fc.assert(
      fc.property(typed, ([type, c]) => {
        expect(jsonWriter(type)(c)).toBe(json(c, type));
      }),
      { numRuns: 5000 },
    );
  });

  it('write spreadsheet cells with text neutralised and null as an empty string', () => {
    fc.assert(
      fc.property(typed, ([type, c]) => {
        expect(spreadsheetWriter(type)(c)).toBe(spreadsheet(c, type));
      }),
      { numRuns: 5000 },
    );
  });

  it('make rows that are their cells joined by each format, with column names written once', () => {
    const row = fc.array(typed, { maxLength: 6 });
    fc.assert(
      fc.property(row, fc.nat(3), (pairs, index) => {
        const columns = pairs.map(([type], i) => ({ name: `c${i}"\\`, type }));
        const cells = pairs.map(([, c]) => c);
        const object = '{' + columns.map((col, i) => `${JSON.stringify(col.name)}:${json(cells[i]!, col.type)}`).join(',') + '}';
        expect(ENCODERS.csv.compile(columns)(cells, index)).toBe(columns.map((col, i) => csv(cells[i]!, col.type)).join(',') + '\r\n');
        expect(ENCODERS.ndjson.compile(columns)(cells, index)).toBe(object + '\n');
        expect(ENCODERS.json.compile(columns)(cells, index)).toBe((index ? ',' : '') + object);
        expect(ENCODERS.values.row(cells, columns, index)).toBe(
          `,[${columns.map((col, i) => spreadsheet(cells[i]!, col.type)).join(',')}]`,
        );
      }),
      { numRuns: 3000 },
    );
  });
});
